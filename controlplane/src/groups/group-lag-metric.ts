/**
 * kafscale_group_lag{group, topic, partition}: for every committed offset of the groups
 * this replica coordinates, the partition's high watermark minus the offset. Computed at
 * scrape time: the offsets from the coordinator's memory, the high watermarks from one
 * range read of `part/<topicId>/` per topic in etcd (a read, never a write). At most
 * MAX_SERIES series per scrape, so a cluster with huge groups cannot blow up a scrape.
 */
import type { Registry } from 'prom-client';
import { gauge, oncePerRegistry } from '../../../lib/metrics/define.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';
import { partitionFacts } from '../admin/partition-facts.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

export const MAX_SERIES = 10_000;

export interface LagSource {
  committedOffsets(): Iterable<{
    readonly groupId: string;
    readonly topic: string;
    readonly partition: number;
    readonly offset: bigint;
  }>;
}

interface Tracked {
  readonly source: LagSource;
  readonly view: MetadataView;
  readonly store: MetadataStore;
}

export const groupLagMetric = oncePerRegistry((registry: Registry) => {
  const tracked = new Set<Tracked>();
  gauge(registry, {
    name: 'kafscale_group_lag',
    help: "Records between a consumer group's committed offset and the partition's high watermark (groups this replica coordinates).",
    labelNames: ['group', 'topic', 'partition'],
    async collect() {
      this.reset();
      let series = 0;
      for (const t of tracked) {
        const byTopic = new Map<string, { groupId: string; partition: number; offset: bigint }[]>();
        for (const c of t.source.committedOffsets()) {
          if (series++ >= MAX_SERIES) break;
          const list = byTopic.get(c.topic) ?? [];
          list.push(c);
          byTopic.set(c.topic, list);
        }
        await Promise.all(
          [...byTopic].map(async ([topic, offsets]) => {
            const entry = t.view.topicByName(topic);
            if (entry === undefined) return;
            let facts;
            try {
              facts = await partitionFacts(t.store, entry.record.topicId);
            } catch {
              return; // etcd unreachable: this scrape has no lag for the topic
            }
            for (const o of offsets) {
              const hwm = facts.get(o.partition)?.highWatermark ?? 0n;
              const lag = hwm > o.offset ? hwm - o.offset : 0n;
              this.set({ group: o.groupId, topic, partition: String(o.partition) }, Number(lag));
            }
          }),
        );
      }
    },
  });
  return {
    track(source: LagSource, view: MetadataView, store: MetadataStore): () => void {
      const entry = { source, view, store };
      tracked.add(entry);
      return () => {
        tracked.delete(entry);
      };
    },
  };
});
