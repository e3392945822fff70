/**
 * The cluster id clients see in Metadata: created once (compare-and-swap on an absent key)
 * and read by every process after that, so it survives restarts and is shared by replicas.
 */
import { randomBytes } from 'node:crypto';
import type { MetadataStore } from '../stores/metadata-store.js';
import { keys } from './keys.js';

export async function ensureClusterId(store: MetadataStore): Promise<string> {
  const key = keys.clusterId();
  for (;;) {
    const existing = await store.get(key);
    if (existing) return Buffer.from(existing.value).toString('utf8');
    const id = randomBytes(16).toString('base64url');
    const result = await store.txn(
      [{ key, target: 'version', op: '=', value: 0 }],
      [{ type: 'put', key, value: Buffer.from(id) }],
    );
    if (result.succeeded) return id;
  }
}
