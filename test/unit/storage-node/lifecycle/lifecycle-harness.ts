/** A storage engine on in-memory stores with the lifecycle pieces, for the lifecycle tests. */
import { createLogger } from '../../../../lib/log/logger.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { encodeTopicRecord } from '../../../../lib/metadata/topic-records.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../../../lib/stores/memory/memory-object-store.js';
import { ObjectCollector } from '../../../../storage-node/src/lifecycle/object-collector.js';
import { StorageEngine } from '../../../../storage-node/src/storage-engine.js';
import { testEngineOptions } from '../../../support/storage-harness.js';

export const T = 'AAAAAAAAAAAAAAAAAAAAAQ';

export interface LifecycleRig {
  readonly metadata: MemoryMetadataStore;
  readonly objects: MemoryObjectStore;
  readonly engine: StorageEngine;
  readonly collector: ObjectCollector;
  /** Objects the engine reported as holding deleted runs, in order. */
  readonly released: string[];
  /** The keys of every object in the store. */
  objectKeys(): Promise<string[]>;
  /** Writes topics/<name> for topic T with these configs and partitions. */
  putTopic(configs: Record<string, string>, partitions?: number): Promise<void>;
}

export async function lifecycleRig(graceMs = 0): Promise<LifecycleRig> {
  const metadata = new MemoryMetadataStore();
  const objects = new MemoryObjectStore();
  const released: string[] = [];
  const engine = await StorageEngine.start(
    testEngineOptions('node-0', metadata, objects, {
      onRunsDeleted: (keys) => released.push(...keys),
    }),
  );
  return {
    metadata,
    objects,
    engine,
    collector: new ObjectCollector({ metadata, objects, graceMs }),
    released,
    objectKeys: async () => (await objects.list('')).objects.map((o) => o.key),
    putTopic: async (configs, partitions = 1) => {
      await metadata.txn(
        [],
        [
          {
            type: 'put',
            key: keys.topic('lifecycle'),
            value: encodeTopicRecord({
              topicId: T,
              name: 'lifecycle',
              partitions,
              configs,
              createdAtMs: 0,
            }),
          },
        ],
      );
    },
  };
}

export const silentLog = createLogger('test', 'silent');
