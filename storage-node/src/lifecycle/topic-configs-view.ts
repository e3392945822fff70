/**
 * The topics' configs as a storage node needs them for retention: topic id -> configs,
 * listed once and then followed through a watch on `topics/` (a config change takes effect
 * at the next retention pass; no etcd read per pass).
 */
import { BadMetadataValueError } from '../../../lib/metadata/json-value.js';
import { keys } from '../../../lib/metadata/keys.js';
import { decodeTopicRecord } from '../../../lib/metadata/topic-records.js';
import type { Logger } from '../../../lib/log/logger.js';
import type { KeyValue, MetadataStore, Watch } from '../../../lib/stores/metadata-store.js';

export class TopicConfigsView {
  /** topic key -> topic id */
  private readonly idByKey = new Map<string, string>();
  private readonly configsById = new Map<string, Readonly<Record<string, string>>>();
  private watch: Watch | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const listed = await this.store.list(keys.topicsPrefix());
    for (const kv of listed.kvs) this.put(kv);
    this.watch = await this.store.watch(keys.topicsPrefix(), {
      fromRevision: listed.revision + 1,
      onEvents: (events) => {
        for (const e of events) {
          if (e.type === 'put') this.put(e.kv);
          else this.remove(e.key);
        }
      },
      onError: (err) => {
        this.log.error({ err }, 'topic watch failed');
      },
    });
  }

  /** The configs of the topic with this id, or undefined when no such topic exists. */
  configsOf(topicId: string): Readonly<Record<string, string>> | undefined {
    return this.configsById.get(topicId);
  }

  private put(kv: KeyValue): void {
    try {
      const record = decodeTopicRecord(kv.key, kv.value);
      this.remove(kv.key);
      this.idByKey.set(kv.key, record.topicId);
      this.configsById.set(record.topicId, record.configs);
    } catch (e) {
      if (!(e instanceof BadMetadataValueError)) throw e;
      this.log.warn({ key: kv.key, err: e }, 'unreadable topic record ignored');
    }
  }

  private remove(key: string): void {
    const id = this.idByKey.get(key);
    if (id === undefined) return;
    this.idByKey.delete(key);
    this.configsById.delete(id);
  }

  async stop(): Promise<void> {
    await this.watch?.cancel();
  }
}
