/**
 * Reads committed batches of one partition from a fetch offset (docs/storage.md, "Read
 * path"): finds the index entry holding the offset, takes its batches from memory or with
 * one ranged GET, drops the batches wholly below the offset, and stops at the byte budget,
 * always returning at least one batch when there is one (as Kafka does, KIP-74). Batches
 * go out exactly as stored.
 */
import { walkBatches } from '../../../lib/kafka/record-batch/walk-batches.js';
import type { IndexEntry } from '../../../lib/metadata/partition-records.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { RecentRuns } from './recent-runs.js';

/** Index of the first entry whose last offset is at or after `offset`, or entries.length. */
export function firstEntryAtOrAfter(entries: readonly IndexEntry[], offset: bigint): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const entry = entries[mid];
    if (entry !== undefined && entry.lastOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function entryBatches(
  entry: IndexEntry,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[]> {
  const key = RecentRuns.key(entry.objectKey, entry.start);
  const cached = recent.get(key);
  if (cached) return cached;
  const bytes = await objects.get(entry.objectKey, {
    start: entry.start,
    end: entry.start + entry.length - 1,
  });
  const batches = walkBatches(bytes, { verifyCrc: false }).batches.map((b) => b.view);
  recent.put(key, batches);
  return batches;
}

function batchLastOffset(batch: Uint8Array): bigint {
  const b = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength);
  return b.readBigInt64BE(0) + BigInt(b.readInt32BE(23));
}

export async function readBatches(
  entries: readonly IndexEntry[],
  offset: bigint,
  maxBytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
  /** Return the first batch even when it exceeds maxBytes (KIP-74), so a consumer never stalls. */
  atLeastOne = true,
): Promise<{ batches: Uint8Array[]; bytes: number }> {
  const out: Uint8Array[] = [];
  let bytes = 0;
  if (maxBytes <= 0 && !atLeastOne) return { batches: out, bytes };
  // Indexed, not sliced: the index is long and this runs on every fetch.
  for (let i = firstEntryAtOrAfter(entries, offset); i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined) break;
    for (const batch of await entryBatches(entry, objects, recent)) {
      if (batchLastOffset(batch) < offset) continue;
      if ((out.length > 0 || !atLeastOne) && bytes + batch.length > maxBytes)
        return { batches: out, bytes };
      out.push(batch);
      bytes += batch.length;
    }
    if (bytes >= maxBytes) break;
  }
  return { batches: out, bytes };
}
