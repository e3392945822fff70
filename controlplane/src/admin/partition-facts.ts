/**
 * What etcd says about a topic's partitions: epoch, log start, high watermark and the
 * bytes and index entries of committed data, read in one range read of
 * `part/<topicId>/`. A value that does not decode is skipped (the figures are a view for
 * operators; the storage nodes refuse such data themselves).
 */
import { keys } from '../../../lib/metadata/keys.js';
import {
  decodeIndexEntry,
  decodeLogStart,
  decodePartitionState,
} from '../../../lib/metadata/partition-records.js';
import type { MetadataStore } from '../../../lib/stores/metadata-store.js';

export interface PartitionFacts {
  readonly epoch: number;
  readonly logStartOffset: bigint;
  readonly highWatermark: bigint;
  /** Bytes of committed runs at or above the log start. */
  readonly bytes: bigint;
  readonly indexEntries: number;
}

const EMPTY: PartitionFacts = {
  epoch: 0,
  logStartOffset: 0n,
  highWatermark: 0n,
  bytes: 0n,
  indexEntries: 0,
};

interface Tally {
  epoch: number;
  highWatermark: bigint;
  stateLogStart: bigint;
  movedLogStart: bigint;
  runs: { lastOffset: bigint; length: number }[];
}

function attempt(work: () => void): void {
  try {
    work();
  } catch {
    // An undecodable value leaves its figure out.
  }
}

/** Facts of every partition of a topic, by partition index (absent: nothing written yet). */
export async function partitionFacts(
  store: MetadataStore,
  topicId: string,
): Promise<Map<number, PartitionFacts>> {
  const prefix = keys.topicPartitionsPrefix(topicId);
  const listed = await store.list(prefix);
  const tallies = new Map<number, Tally>();
  const tallyOf = (partition: number): Tally => {
    let t = tallies.get(partition);
    if (t === undefined) {
      t = { epoch: 0, highWatermark: 0n, stateLogStart: 0n, movedLogStart: 0n, runs: [] };
      tallies.set(partition, t);
    }
    return t;
  };
  for (const kv of listed.kvs) {
    const [partText, kind] = kv.key.slice(prefix.length).split('/');
    const partition = Number(partText);
    if (!Number.isSafeInteger(partition) || partition < 0) continue;
    const t = tallyOf(partition);
    if (kind === 'state') {
      attempt(() => {
        const s = decodePartitionState(kv.key, kv.value);
        t.epoch = s.epoch;
        t.highWatermark = s.highWatermark;
        t.stateLogStart = s.logStartOffset;
      });
    } else if (kind === 'start') {
      attempt(() => {
        t.movedLogStart = decodeLogStart(kv.key, kv.value).logStartOffset;
      });
    } else if (kind === 'idx') {
      attempt(() => {
        const e = decodeIndexEntry(kv.key, kv.value);
        t.runs.push({ lastOffset: e.lastOffset, length: e.length });
      });
    }
  }
  const facts = new Map<number, PartitionFacts>();
  for (const [partition, t] of tallies) {
    const logStartOffset = t.movedLogStart > t.stateLogStart ? t.movedLogStart : t.stateLogStart;
    const live = t.runs.filter(
      (r) => r.lastOffset >= logStartOffset && r.lastOffset < t.highWatermark,
    );
    facts.set(partition, {
      epoch: t.epoch,
      logStartOffset,
      highWatermark: t.highWatermark,
      bytes: live.reduce((sum, r) => sum + BigInt(r.length), 0n),
      indexEntries: live.length,
    });
  }
  return facts;
}

export function factsOrEmpty(
  facts: ReadonlyMap<number, PartitionFacts>,
  partition: number,
): PartitionFacts {
  return facts.get(partition) ?? EMPTY;
}
