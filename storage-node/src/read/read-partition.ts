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
import { flushRunFromObject } from './flush-object-reads.js';
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

/**
 * A whole entry's batches (timestamp searches, compaction): from memory when every piece of
 * it is cached (as compaction caches a segment it wrote), else with one ranged GET.
 */
export async function entryBatches(
  entry: IndexEntry,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[]> {
  const pieces: (readonly Uint8Array[])[] = [];
  for (const range of entryPieces(entry)) {
    const piece = recent.get(RecentRuns.key(entry.objectKey, range.start, range.length));
    if (piece === undefined)
      return readRange(entry.objectKey, entry.start, entry.length, objects, recent);
    pieces.push(piece);
  }
  return pieces.flat();
}

async function readRange(
  objectKey: string,
  start: number,
  length: number,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[]> {
  return recent.getOrLoad(RecentRuns.key(objectKey, start, length), async () => {
    const run = await flushRunFromObject(objectKey, start, length, objects, recent);
    if (run !== undefined) return run;
    const bytes = await objects.get(objectKey, { start, end: start + length - 1 });
    return walkBatches(bytes, { verifyCrc: false }).batches.map((b) => b.view);
  });
}

/**
 * Read-ahead starts no load while this many are in flight on the node: with many readers
 * catching up at once, memory for loads not yet in the cache stays bounded.
 */
export const MAX_READAHEAD_LOADS = 64;

/** The least a read of a segment entry fetches: fewer, larger GETs for catching-up readers. */
export const MIN_SEGMENT_READ_BYTES = 1 << 20;

/** Where a piece of an entry lies in its object, and where the next piece starts. */
interface PieceRange {
  readonly start: number;
  readonly length: number;
  /** The piece reaches the end of the entry. */
  readonly complete: boolean;
  /** The first offset after the piece (the next position's), when it is not complete. */
  readonly nextOffset: bigint | undefined;
}

/**
 * The part of an entry a read from `offset` needs: a flush run whole; in a segment, from the
 * last recorded batch position at or before `offset` to the first position at least
 * `wantBytes` (and MIN_SEGMENT_READ_BYTES) further, or the entry's end.
 */
function pieceRange(entry: IndexEntry, offset: bigint, wantBytes: number): PieceRange {
  const positions = entry.positions ?? [];
  if (positions.length < 2)
    return { start: entry.start, length: entry.length, complete: true, nextOffset: undefined };
  let from = 0;
  while (from + 1 < positions.length && BigInt(positions[from + 1]?.offset ?? '0') <= offset)
    from++;
  const fromAt = positions[from]?.at ?? 0;
  const want = Math.max(wantBytes, MIN_SEGMENT_READ_BYTES);
  let to = from + 1;
  while (to < positions.length && (positions[to]?.at ?? 0) - fromAt < want) to++;
  const next = positions[to];
  const endAt = next === undefined ? entry.length : next.at;
  return {
    start: entry.start + fromAt,
    length: endAt - fromAt,
    complete: next === undefined,
    nextOffset: next === undefined ? undefined : BigInt(next.offset),
  };
}

async function entryPiece(
  entry: IndexEntry,
  offset: bigint,
  wantBytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<{ batches: readonly Uint8Array[]; complete: boolean }> {
  let range = pieceRange(entry, offset, wantBytes);
  if (!recent.has(RecentRuns.key(entry.objectKey, range.start, range.length))) {
    // The smallest piece at the offset may be cached (read ahead, or written by compaction).
    const least = pieceRange(entry, offset, 0);
    if (recent.has(RecentRuns.key(entry.objectKey, least.start, least.length))) range = least;
  }
  const outcome = recent.outcomeOf(RecentRuns.key(entry.objectKey, range.start, range.length));
  let batches: readonly Uint8Array[] = [];
  try {
    batches = await readRange(entry.objectKey, range.start, range.length, objects, recent);
  } finally {
    recent.countRead(
      outcome,
      batches.reduce((n, b) => n + b.length, 0),
    );
  }
  return { batches, complete: range.complete };
}

/** The pieces a reader's fetch or read-ahead asks for, one after another, of a whole entry. */
function* entryPieces(entry: IndexEntry): Generator<PieceRange> {
  let cursor = entry.baseOffset;
  for (;;) {
    const range = pieceRange(entry, cursor, 0);
    yield range;
    if (range.complete || range.nextOffset === undefined) return;
    cursor = range.nextOffset;
  }
}

/**
 * Puts a whole entry's batches (a segment compaction just wrote) into the cache in the
 * pieces reads ask for, so that reads after a compaction, and the next compaction of small
 * segments, need no GET.
 */
export function cacheEntry(
  entry: IndexEntry,
  batches: readonly Uint8Array[],
  recent: RecentRuns,
): void {
  let i = 0;
  for (const range of entryPieces(entry)) {
    const piece: Uint8Array[] = [];
    for (let bytes = 0; bytes < range.length && i < batches.length; i++) {
      const b = batches[i];
      if (b === undefined) break;
      piece.push(b);
      bytes += b.length;
    }
    recent.put(RecentRuns.key(entry.objectKey, range.start, range.length), piece);
  }
}

/** Drops an entry no longer in the index from the cache (its pieces as cacheEntry made them). */
export function forgetEntry(entry: IndexEntry, recent: RecentRuns): void {
  for (const range of entryPieces(entry))
    recent.delete(RecentRuns.key(entry.objectKey, range.start, range.length));
}

/**
 * Read-ahead for a sequential reader now at `offset`: starts loading the next `pieces`
 * pieces (flush runs, or segment pieces of MIN_SEGMENT_READ_BYTES) into the cache without
 * waiting, and more while they hold fewer than `bytes` (up to MAX_READAHEAD_LOADS pieces),
 * skipping those cached or already loading, and none while MAX_READAHEAD_LOADS are in
 * flight; the reader's next fetch finds them in memory (or joins their GET). Failures are
 * left for that fetch to meet.
 */
export function readAhead(
  entries: readonly IndexEntry[],
  offset: bigint,
  pieces: number,
  objects: ObjectStore,
  recent: RecentRuns,
  bytes = 0,
): void {
  let n = 0;
  let covered = 0;
  for (const { entry, range } of piecesFrom(entries, offset)) {
    const wanted = n < pieces || (covered < bytes && n < MAX_READAHEAD_LOADS);
    if (!wanted || recent.loadsInFlight >= MAX_READAHEAD_LOADS) return;
    n++;
    covered += range.length;
    if (!recent.has(RecentRuns.key(entry.objectKey, range.start, range.length)))
      readRange(entry.objectKey, range.start, range.length, objects, recent).catch(() => undefined);
  }
}

/**
 * Read-ahead after a fetch that read up to `bytes`: the next `pieces` pieces, or, when more,
 * every piece the next `bytes` lie in, so that a reader fetching as much again finds it
 * loaded. Flush runs are often far smaller than a fetch (tens of KiB against a consumer's 1
 * MiB per partition), and with S3's latency a fetch that waits for its own GETs waits a
 * round trip each time. The bytes are capped at 1/MAX_READAHEAD_LOADS of the cache's
 * budget, so that as many read-aheads as may be loading at once fit in the cache together:
 * loads that push out what fetches are about to walk cost their GETs twice.
 */
export function readAheadOfFetch(
  entries: readonly IndexEntry[],
  offset: bigint,
  pieces: number,
  bytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
): void {
  const cap = Math.floor(recent.budgetBytes / MAX_READAHEAD_LOADS);
  readAhead(entries, offset, pieces, objects, recent, Math.min(bytes, cap));
}

/** The pieces (as read-ahead loads them) from `offset` on, entry after entry. */
function* piecesFrom(
  entries: readonly IndexEntry[],
  offset: bigint,
): Generator<{ entry: IndexEntry; range: PieceRange }> {
  let cursor = offset;
  for (let i = firstEntryAtOrAfter(entries, offset); ;) {
    const entry = entries[i];
    if (entry === undefined) return;
    const range = pieceRange(entry, cursor, 0);
    yield { entry, range };
    if (range.complete || range.nextOffset === undefined) {
      i++;
      cursor = entries[i]?.baseOffset ?? cursor;
    } else {
      cursor = range.nextOffset;
    }
  }
}

function batchLastOffset(batch: Uint8Array): bigint {
  const b = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength);
  return b.readBigInt64BE(0) + BigInt(b.readInt32BE(23));
}

/**
 * How many pieces from `offset` (as read-ahead walks them) the first `bytes` lie in, at most
 * MAX_READAHEAD_LOADS.
 */
function piecesCovering(entries: readonly IndexEntry[], offset: bigint, bytes: number): number {
  let covered = 0;
  let n = 0;
  for (const { range } of piecesFrom(entries, offset)) {
    if (n >= MAX_READAHEAD_LOADS || covered >= bytes) break;
    covered += range.length;
    n++;
  }
  return n;
}

/**
 * Starts loading every piece the first `maxBytes` from `offset` lie in (up to the read-ahead
 * bound), so that a read walking them waits about one S3 round trip, not one per piece: a
 * reader catching up through small flush runs would otherwise wait for each run in turn.
 */
export function prefetch(
  entries: readonly IndexEntry[],
  offset: bigint,
  maxBytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
): void {
  const covering = piecesCovering(entries, offset, maxBytes);
  if (covering > 1) readAhead(entries, offset, covering, objects, recent);
}

export async function readBatches(
  entries: readonly IndexEntry[],
  offset: bigint,
  maxBytes: number,
  objects: ObjectStore,
  recent: RecentRuns,
  /** Return the first batch even when it exceeds maxBytes (KIP-74), so a consumer never stalls. */
  atLeastOne = true,
): Promise<{ batches: Uint8Array[]; bytes: number; next: bigint }> {
  const out: Uint8Array[] = [];
  let bytes = 0;
  if (maxBytes <= 0 && !atLeastOne) return { batches: out, bytes, next: offset };
  prefetch(entries, offset, maxBytes, objects, recent);
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
          return { batches: out, bytes, next: cursor };
        out.push(batch);
        bytes += batch.length;
        cursor = last + 1n;
      }
      // A piece always holds the batch at the cursor; no progress means a corrupt entry.
      if (piece.complete || bytes >= maxBytes || cursor === before) break;
    }
    if (bytes >= maxBytes) break;
  }
  return { batches: out, bytes, next: cursor };
}
