/**
 * Codec micro-benchmarks: decode of a Produce request and encode of a Fetch response,
 * each carrying 1 MiB of records, against a plain 1 MiB copy as the same-run reference.
 * Each case also checks that the record bytes were not copied.
 */
import {
  fetchApi,
  produceApi,
  defaultFetchResponse,
  defaultFetchResponseFetchableTopicResponse,
  defaultFetchResponsePartitionData,
  defaultProduceRequest,
  defaultProduceRequestPartitionProduceData,
  defaultProduceRequestTopicProduceData,
  type FetchResponse,
  type ProduceRequest,
} from '../lib/kafka/gen/index.js';
import {
  decodeRequestFrame,
  encodeRequestFrame,
  encodeResponseFrame,
} from '../lib/kafka/protocol/request-frame.js';
import { buildRecordBatchSync } from '../lib/kafka/record-batch/build-batch.js';
import { validateProduceRecords } from '../lib/kafka/record-batch/validate-produce-records.js';
import { measure, type Measurement } from './measure.js';

const MIB = 1024 * 1024;
const PRODUCE_VERSION = 11;
const FETCH_VERSION = 16;

function records(size: number, fill: number): Buffer {
  return Buffer.alloc(size, fill);
}

function produceRequest(partitions: number, bytesEach: number): ProduceRequest {
  return {
    ...defaultProduceRequest(),
    acks: -1,
    timeoutMs: 30000,
    topicData: [
      {
        ...defaultProduceRequestTopicProduceData(),
        name: 'bench-topic',
        partitionData: Array.from({ length: partitions }, (_, i) => ({
          ...defaultProduceRequestPartitionProduceData(),
          index: i,
          records: records(bytesEach, i),
        })),
      },
    ],
  };
}

function fetchResponse(partitions: number, bytesEach: number): FetchResponse {
  return {
    ...defaultFetchResponse(),
    responses: [
      {
        ...defaultFetchResponseFetchableTopicResponse(),
        topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
        partitions: Array.from({ length: partitions }, (_, i) => ({
          ...defaultFetchResponsePartitionData(),
          partitionIndex: i,
          highWatermark: 1_000_000n,
          lastStableOffset: 1_000_000n,
          logStartOffset: 0n,
          records: records(bytesEach, i),
        })),
      },
    ],
  };
}

function benchProduceDecode(partitions: number): Measurement {
  const total = MIB;
  const frame = encodeRequestFrame(
    produceApi,
    PRODUCE_VERSION,
    1,
    'bench',
    produceRequest(partitions, total / partitions),
  ).subarray(4);
  const decoded = decodeRequestFrame(frame, produceApi, PRODUCE_VERSION).body as ProduceRequest;
  const views = decoded.topicData.flatMap((t) => t.partitionData.map((p) => p.records));
  const zeroCopy = views.every((r) => r !== null && r.buffer === frame.buffer);
  if (!zeroCopy) throw new Error('produce decode copied record bytes');
  return measure(
    `produce v${PRODUCE_VERSION} decode, ${partitions} partition(s)`,
    total,
    () => {
      decodeRequestFrame(frame, produceApi, PRODUCE_VERSION);
    },
    'records are views of the frame (checked)',
  );
}

function benchFetchEncode(partitions: number): Measurement {
  const total = MIB;
  const response = fetchResponse(partitions, total / partitions);
  const chunks = encodeResponseFrame(fetchApi, FETCH_VERSION, 1, response);
  const payloads = response.responses.flatMap((t) => t.partitions.map((p) => p.records));
  const zeroCopy = payloads.every((r) => r !== null && chunks.includes(r));
  if (!zeroCopy) throw new Error('fetch encode copied record bytes');
  const copied = chunks.filter((c) => !payloads.includes(c)).reduce((n, c) => n + c.length, 0);
  return measure(
    `fetch v${FETCH_VERSION} encode, ${partitions} partition(s)`,
    total,
    () => {
      encodeResponseFrame(fetchApi, FETCH_VERSION, 1, response);
    },
    `records passed by reference (checked); ${copied} other bytes written`,
  );
}

/** The produce hot path for one partition: decode the frame, then validate its batch (framing, CRC32C). */
function benchProduceDecodeAndValidate(): Measurement {
  const batch = buildRecordBatchSync({
    records: Array.from({ length: 1024 }, (_, i) => ({ key: null, value: Buffer.alloc(1000, i) })),
  });
  const request = produceRequest(1, 0);
  const partition = request.topicData[0]?.partitionData[0];
  if (partition === undefined) throw new Error('no partition');
  partition.records = batch;
  const frame = encodeRequestFrame(produceApi, PRODUCE_VERSION, 1, 'bench', request).subarray(4);
  return measure(
    `produce v${PRODUCE_VERSION} decode + batch validation (CRC32C), 1024 x 1 KB records`,
    batch.length,
    () => {
      const body = decodeRequestFrame(frame, produceApi, PRODUCE_VERSION).body as ProduceRequest;
      for (const t of body.topicData)
        for (const p of t.partitionData) if (p.records) validateProduceRecords(p.records);
    },
    'the batch is checked in place, not copied',
  );
}

export function codecBenchmarks(): { reference: Measurement; rows: Measurement[] } {
  const src = Buffer.alloc(MIB, 1);
  const dst = Buffer.alloc(MIB);
  const reference = measure(
    'memcpy 1 MiB',
    MIB,
    () => {
      src.copy(dst);
    },
    'reference: one copy of the payload',
  );
  const rows = [
    reference,
    benchProduceDecode(1),
    benchProduceDecode(100),
    benchProduceDecodeAndValidate(),
    benchFetchEncode(1),
    benchFetchEncode(100),
  ];
  return { reference, rows };
}
