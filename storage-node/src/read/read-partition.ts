/**
 * Reads committed batches of one partition from a fetch offset (docs/storage.md, "Read
 * path"): finds the index entry holding the offset, takes its batches from memory or with
 * one ranged GET (a flush run whole; a compacted segment from the recorded batch position
 * nearest below the offset, at least 1 MiB at a time), drops the batches wholly below the
 * offset, and stops at the byte budget, always returning at least one batch when there is
 * one (as Kafka does, KIP-74). Batches go out exactly as stored.
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

/** A whole entry's batches (timestamp searches, compaction), from memory or one ranged GET. */
export async function entryBatches(
  entry: IndexEntry,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[]> {
  return readRange(entry.objectKey, entry.start, entry.length, objects, recent);
}

async function readRange(
  objectKey: string,
  start: number,
  length: number,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[]> {
  const key = RecentRuns.key(objectKey, start);
  const cached = recent.get(key);
  if (cached) return cached;
  const bytes = await objects.get(objectKey, { start, end: start + length - 1 });
  const batches = walkBatches(bytes, { verifyCrc: false }).batches.map((b) => b.view);
  recent.put(key, batches);
  return batches;
}

/** The least a read of a segment entry fetches: fewer, larger GETs for catching-up readers. */
export const MIN_SEGMENT_READ_BYTES = 1 << 20;

/**
 * The part of an entry a read from `offset` needs: a flush run whole; in a segment, from the
 * last recorded batch position at or before `offset` to the first position at least
 * `wantBytes` (and MIN_SEGMENT_READ_BYTES) further, or the entry's end. `complete` says
 * whether the piece reaches the end of the entry.
 */
async function entryPiece(
  entry: IndexEntry,
  offset: bigint,
  wantBytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<{ batches: readonly Uint8Array[]; complete: boolean }> {
  const positions = entry.positions ?? [];
  if (positions.length < 2)
    return { batches: await entryBatches(entry, objects, recent), complete: true };
  let from = 0;
  while (from + 1 < positions.length && BigInt(positions[from + 1]?.offset ?? '0') <= offset)
    from++;
  const fromAt = positions[from]?.at ?? 0;
  const want = Math.max(wantBytes, MIN_SEGMENT_READ_BYTES);
  let to = from + 1;
  while (to < positions.length && (positions[to]?.at ?? 0) - fromAt < want) to++;
  const endAt = to < positions.length ? (positions[to]?.at ?? entry.length) : entry.length;
  const batches = await readRange(
    entry.objectKey,
    entry.start + fromAt,
    endAt - fromAt,
    objects,
    recent,
  );
  return { batches, complete: endAt === entry.length };
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
  let cursor = offset;
  // Indexed, not sliced: the index is long and this runs on every fetch.
  for (let i = firstEntryAtOrAfter(entries, offset); i < entries.length; i++) {
    const entry = entries[i];
    if (entry === undefined) break;
    for (;;) {
      const before = cursor;
      const piece = await entryPiece(entry, cursor, maxBytes - bytes, objects, recent);
      for (const batch of piece.batches) {
        const last = batchLastOffset(batch);
        if (last < cursor) continue;
        if ((out.length > 0 || !atLeastOne) && bytes + batch.length > maxBytes)
          return { batches: out, bytes };
        out.push(batch);
        bytes += batch.length;
        cursor = last + 1n;
      }
      // A piece always holds the batch at the cursor; no progress means a corrupt entry.
      if (piece.complete || bytes >= maxBytes || cursor === before) break;
    }
    if (bytes >= maxBytes) break;
  }
  return { batches: out, bytes };
}
