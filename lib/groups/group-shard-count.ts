/**
 * The cluster's group shard count: written once by the first controlplane replica
 * (compare-and-swap on an absent key) and read by every replica after that, so a group's
 * shard never changes. A replica configured with another count uses the stored one.
 */
import { keys } from '../metadata/keys.js';
import type { MetadataStore } from '../stores/metadata-store.js';

export async function ensureGroupShardCount(
  store: MetadataStore,
  configured: number,
): Promise<number> {
  const key = keys.groupShardCount();
  for (;;) {
    const existing = await store.get(key);
    if (existing) {
      const stored = Number(Buffer.from(existing.value).toString('utf8'));
      if (!Number.isSafeInteger(stored) || stored < 1)
        throw new Error(`bad value at ${key}: not a positive integer`);
      return stored;
    }
    const result = await store.txn(
      [{ key, target: 'version', op: '=', value: 0 }],
      [{ type: 'put', key, value: Buffer.from(String(configured)) }],
    );
    if (result.succeeded) return configured;
  }
}
