/**
 * Idempotent producers' state in one partition, as Apache Kafka's ProducerStateManager
 * keeps it: per producer id, its epoch and the sequence ranges and offsets of its last
 * five batches. A batch from a known producer and epoch must continue the sequence; one
 * that repeats a remembered batch is a duplicate and is answered with the offsets of the
 * first write; an older epoch is fenced; a new epoch starts at sequence 0.
 *
 * The state covers what is committed plus what is in flight (offsets assigned, object not
 * yet committed): a retry that arrives while its first write is in flight waits for that
 * write's outcome. A failed flush takes its batches out again; the producer's next batch
 * must then be the first one that failed, so a later batch never overtakes a failed one.
 *
 * What is committed is written with the data (IndexEntry.producers), so a new owner
 * rebuilds the same state from the index and keeps deduplicating after a failover.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { IndexEntry, ProducerBatch } from '../../../lib/metadata/partition-records.js';
import type { AppendOutcome } from './append-outcome.js';

/** Kafka keeps this many batches per producer for duplicate detection. */
export const BATCHES_PER_PRODUCER = 5;

const MAX_SEQUENCE = 2 ** 31 - 1;

export interface BatchMeta {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  /** The batch's largest timestamp (ms), or -1 when unknown (rebuilt from the index). */
  readonly maxTimestamp: bigint;
  committed: boolean;
  /** Retries of this batch waiting for its outcome while it is in flight. */
  readonly waiting: ((outcome: AppendOutcome) => void)[];
}

interface ProducerEntry {
  epoch: number;
  /** When the producer last wrote (ms), for expiry. */
  lastSeenMs: number;
  /** Oldest first, at most BATCHES_PER_PRODUCER. */
  batches: BatchMeta[];
  /**
   * The sequence the next batch must follow when no batch is remembered (after a failed
   * flush of a producer with no committed batch): -1 before sequence 0.
   */
  expectAfter: number | undefined;
}

export type SequenceVerdict =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly of: BatchMeta }
  | { readonly kind: 'refused'; readonly errorCode: number; readonly message: string };

/** A batch of a producer as a flush run carries it. */
export interface RunBatch {
  readonly producerId: bigint;
  readonly epoch: number;
  readonly meta: BatchMeta;
}

function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === MAX_SEQUENCE);
}

/** The last sequence of a batch of `records` records starting at `firstSeq` (wrapping). */
export function lastSequence(firstSeq: number, lastOffsetDelta: number): number {
  const last = firstSeq + lastOffsetDelta;
  return last > MAX_SEQUENCE ? last - MAX_SEQUENCE - 1 : last;
}

/** Kafka's producer.id.expiration.ms default: a producer idle this long is forgotten. */
export const PRODUCER_EXPIRATION_MS = 24 * 60 * 60 * 1000;

/** How often idle producers are looked for. */
const SWEEP_INTERVAL_MS = 60_000;

export class ProducerStates {
  private readonly producers = new Map<bigint, ProducerEntry>();
  private lastSweepMs = Date.now();

  constructor(private readonly expirationMs = PRODUCER_EXPIRATION_MS) {}

  /** How many producers the partition remembers. */
  get size(): number {
    return this.producers.size;
  }

  check(producerId: bigint, epoch: number, firstSeq: number, lastSeq: number): SequenceVerdict {
    const entry = this.producers.get(producerId);
    if (entry === undefined) return { kind: 'append' }; // unknown producer: any sequence
    if (epoch < entry.epoch) {
      return {
        kind: 'refused',
        errorCode: KafkaError.INVALID_PRODUCER_EPOCH,
        message: `producer ${producerId} epoch ${epoch} is older than the current epoch ${entry.epoch}`,
      };
    }
    if (epoch > entry.epoch) {
      return firstSeq === 0
        ? { kind: 'append' }
        : {
            kind: 'refused',
            errorCode: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
            message: `producer ${producerId} starts epoch ${epoch} at sequence ${firstSeq}, not 0`,
          };
    }
    const duplicate = entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
    if (duplicate) return { kind: 'duplicate', of: duplicate };
    const last = entry.batches.at(-1)?.lastSeq ?? entry.expectAfter;
    if (last !== undefined && !inSequence(last, firstSeq)) {
      return {
        kind: 'refused',
        errorCode: KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `producer ${producerId} sent sequence ${firstSeq} after ${last}`,
      };
    }
    return { kind: 'append' };
  }

  /** Every remembered producer with its epoch and last batch (DescribeProducers). */
  summaries(): {
    producerId: bigint;
    epoch: number;
    lastSequence: number;
    lastTimestamp: bigint;
  }[] {
    return [...this.producers].flatMap(([producerId, entry]) => {
      const last = entry.batches.at(-1);
      return last === undefined
        ? []
        : [
            {
              producerId,
              epoch: entry.epoch,
              lastSequence: last.lastSeq,
              lastTimestamp: last.maxTimestamp,
            },
          ];
    });
  }

  /** Records a batch that was just given offsets (in flight until committed). */
  record(producerId: bigint, epoch: number, meta: BatchMeta, now = Date.now()): void {
    if (now - this.lastSweepMs >= SWEEP_INTERVAL_MS) this.expire(now);
    let entry = this.producers.get(producerId);
    if (entry === undefined || epoch > entry.epoch) {
      entry = { epoch, lastSeenMs: now, batches: [], expectAfter: undefined };
      this.producers.set(producerId, entry);
    }
    entry.lastSeenMs = now;
    entry.batches.push(meta);
    entry.expectAfter = undefined;
    if (entry.batches.length > BATCHES_PER_PRODUCER) entry.batches.shift();
  }

  /**
   * Forgets producers idle longer than the expiration with nothing in flight (Kafka's
   * producer.id.expiration.ms); a forgotten producer that comes back is accepted at any
   * sequence, as an unknown one is.
   */
  expire(now: number): void {
    this.lastSweepMs = now;
    for (const [id, entry] of this.producers) {
      const inFlight = entry.batches.some((b) => !b.committed);
      if (!inFlight && now - entry.lastSeenMs > this.expirationMs) this.producers.delete(id);
    }
  }

  /** The run committed: its batches are durable; retries waiting on them get their offsets. */
  committed(batches: readonly RunBatch[], logStartOffset: bigint): void {
    for (const { meta } of batches) {
      meta.committed = true;
      for (const settle of meta.waiting.splice(0)) {
        settle({ ok: true, errorCode: 0, baseOffset: meta.baseOffset, logStartOffset });
      }
    }
  }

  /**
   * The run failed: its batches are forgotten (their offsets will be reused) and retries
   * waiting on them fail alike; each producer's next batch must be its first failed one.
   */
  abandoned(batches: readonly RunBatch[], outcome: AppendOutcome): void {
    const failed = new Set(batches.map((b) => b.meta));
    const firstFailed = new Map<bigint, number>();
    for (const { producerId, meta } of batches) {
      if (!firstFailed.has(producerId)) firstFailed.set(producerId, meta.firstSeq);
      for (const settle of meta.waiting.splice(0)) settle(outcome);
    }
    for (const [producerId, firstSeq] of firstFailed) {
      const entry = this.producers.get(producerId);
      if (entry === undefined) continue;
      entry.batches = entry.batches.filter((b) => !failed.has(b));
      if (entry.batches.length === 0)
        entry.expectAfter = firstSeq === 0 ? MAX_SEQUENCE : firstSeq - 1;
    }
  }

  /** The committed producer state of a new owner, from the index it recovered. */
  static fromIndex(index: readonly IndexEntry[]): ProducerStates {
    const states = new ProducerStates();
    for (const entry of index) {
      for (const b of entry.producers ?? []) {
        states.record(BigInt(b.producerId), b.epoch, {
          firstSeq: b.firstSeq,
          lastSeq: b.lastSeq,
          baseOffset: BigInt(b.baseOffset),
          lastOffset: BigInt(b.lastOffset),
          maxTimestamp: -1n,
          committed: true,
          waiting: [],
        });
      }
    }
    return states;
  }

  /** What an index entry records of a run: the last batches of each producer in it. */
  static forIndex(batches: readonly RunBatch[]): ProducerBatch[] {
    const perProducer = new Map<bigint, RunBatch[]>();
    for (const b of batches) {
      const list = perProducer.get(b.producerId) ?? [];
      list.push(b);
      if (list.length > BATCHES_PER_PRODUCER) list.shift();
      perProducer.set(b.producerId, list);
    }
    return [...perProducer.values()].flat().map((b) => ({
      producerId: b.producerId.toString(),
      epoch: b.epoch,
      firstSeq: b.meta.firstSeq,
      lastSeq: b.meta.lastSeq,
      baseOffset: b.meta.baseOffset.toString(),
      lastOffset: b.meta.lastOffset.toString(),
    }));
  }
}
