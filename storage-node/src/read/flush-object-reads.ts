/**
 * Whole flush-object reads. A flush object holds one run per partition it carried, side by
 * side, then its footer (flush/flush-object.ts). A consumer catching up on a topic reads
 * every run of each object, but not at once: its partitions' reads drift apart, so the runs
 * of one object are asked for in different fetches, and each was a GET of its own (about
 * 1,650 GETs of 37 KiB for a cold read of 60 MiB under the s3-standard model). S3 prices
 * and delays each request, hardly the bytes.
 *
 * So a read of a flush run lying within the object's first WHOLE_OBJECT_BYTES that misses
 * the cache GETs those bytes (the whole object, when it is no larger), puts every run the
 * footer lists that came back whole into the cache, and answers from them; reads of runs of
 * an object already loading wait for that load. Past a larger object's first
 * WHOLE_OBJECT_BYTES, and for segments (one partition each), reads stay ranged GETs of
 * their own run.
 */
import { walkBatches } from '../../../lib/kafka/record-batch/walk-batches.js';
import type { ObjectStore } from '../../../lib/stores/object-store.js';
import { FLUSH_OBJECT_PREFIX, readFlushFooter } from '../flush/flush-object.js';
import { RecentRuns } from './recent-runs.js';

/**
 * The most a whole-object read GETs: flush objects under load are a few hundred KiB, and
 * read-ahead starts no load past MAX_READAHEAD_LOADS in flight, so this bounds the memory
 * those loads hold.
 */
export const WHOLE_OBJECT_BYTES = 1 << 20;

/**
 * The batches of the run at [start, start + length) of a head, in memory of the run's own:
 * views into the head would keep all of it alive while the cache counts only the run (a
 * reader of one partition of six would hold six times the cache's budget).
 */
function runBatches(head: Buffer, start: number, length: number): readonly Uint8Array[] {
  const run = Buffer.from(head.subarray(start, start + length));
  return walkBatches(run, { verifyCrc: false }).batches.map((b) => b.view);
}

/**
 * GETs the object's head (the whole object, or its first WHOLE_OBJECT_BYTES) and caches
 * every run its footer lists that came back whole and is neither cached nor loading (a run
 * being loaded, such as the one the caller asked for, is cached by its own load when it
 * settles, from what this returns).
 */
async function loadHead(
  objectKey: string,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<Buffer> {
  const bytes = await objects.get(objectKey, { start: 0, end: WHOLE_OBJECT_BYTES - 1 });
  let parts;
  try {
    parts = readFlushFooter(bytes).parts;
  } catch {
    // The object is larger than what came back: no footer to read.
    return bytes;
  }
  for (const part of parts) {
    if (part.start < 0 || part.start + part.length > bytes.length) continue;
    const key = RecentRuns.key(objectKey, part.start, part.length);
    if (!recent.has(key)) recent.put(key, runBatches(bytes, part.start, part.length));
  }
  return bytes;
}

/**
 * A flush run's batches from a read of its object's head, or undefined when the run is not
 * a flush run within the first WHOLE_OBJECT_BYTES (the caller reads the range itself).
 */
export async function flushRunFromObject(
  objectKey: string,
  start: number,
  length: number,
  objects: ObjectStore,
  recent: RecentRuns,
): Promise<readonly Uint8Array[] | undefined> {
  if (!objectKey.startsWith(FLUSH_OBJECT_PREFIX) || start + length > WHOLE_OBJECT_BYTES)
    return undefined;
  const head = await recent.loadObjectOnce(objectKey, () => loadHead(objectKey, objects, recent));
  return start + length <= head.length ? runBatches(head, start, length) : undefined;
}
