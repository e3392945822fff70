/**
 * The layout of one flush object (docs/storage.md, "Objects in S3"): each partition's
 * batches back to back, partition after partition, then a JSON footer, its length and a
 * magic. Batches are passed by reference: laying out an object copies no record bytes.
 */

export const FOOTER_MAGIC = Buffer.from('KFS1');

/** Where flush objects live in the bucket (compacted segments are under `seg/`). */
export const FLUSH_OBJECT_PREFIX = 'data/';

/** One partition's batches in an object, offsets already assigned. */
export interface PartitionRun {
  readonly topicId: string;
  readonly partition: number;
  readonly batches: readonly Uint8Array[];
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
  readonly epoch: number;
}

export interface PlacedRun {
  readonly run: PartitionRun;
  readonly start: number;
  readonly length: number;
}

export interface FlushObject {
  readonly chunks: Uint8Array[];
  readonly size: number;
  readonly placed: PlacedRun[];
}

export interface FlushFooter {
  readonly version: 1;
  readonly node: string;
  readonly parts: {
    readonly topicId: string;
    readonly partition: number;
    readonly epoch: number;
    readonly firstOffset: string;
    readonly lastOffset: string;
    readonly maxTimestamp: string;
    readonly start: number;
    readonly length: number;
  }[];
}

export function layoutFlushObject(node: string, runs: readonly PartitionRun[]): FlushObject {
  const chunks: Uint8Array[] = [];
  const placed: PlacedRun[] = [];
  let at = 0;
  for (const run of runs) {
    const start = at;
    for (const b of run.batches) {
      chunks.push(b);
      at += b.length;
    }
    placed.push({ run, start, length: at - start });
  }
  const footer: FlushFooter = {
    version: 1,
    node,
    parts: placed.map(({ run, start, length }) => ({
      topicId: run.topicId,
      partition: run.partition,
      epoch: run.epoch,
      firstOffset: run.firstOffset.toString(),
      lastOffset: run.lastOffset.toString(),
      maxTimestamp: run.maxTimestamp.toString(),
      start,
      length,
    })),
  };
  const json = Buffer.from(JSON.stringify(footer));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32BE(json.length, 0);
  FOOTER_MAGIC.copy(trailer, 4);
  chunks.push(json, trailer);
  return { chunks, size: at + json.length + trailer.length, placed };
}

/** Reads the footer from an object's tail (at least the last 8 bytes plus the footer). */
export function readFlushFooter(tail: Buffer): FlushFooter {
  if (tail.length < 8 || !tail.subarray(tail.length - 4).equals(FOOTER_MAGIC)) {
    throw new Error('not a Kafscale flush object (no KFS1 trailer)');
  }
  const length = tail.readUInt32BE(tail.length - 8);
  if (length > tail.length - 8)
    throw new Error(`footer of ${length} bytes does not fit in the ${tail.length}-byte tail`);
  const parsed: unknown = JSON.parse(
    tail.subarray(tail.length - 8 - length, tail.length - 8).toString('utf8'),
  );
  const version = (parsed as { version?: unknown } | null)?.version;
  if (version !== 1) throw new Error(`unknown flush footer version ${String(version)}`);
  return parsed as FlushFooter;
}
