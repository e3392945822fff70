import { describe, expect, it } from 'vitest';
import { fetchedRecords, producedRecords } from '../../../edge/src/records-served.js';
import {
  defaultFetchResponse,
  defaultFetchResponseFetchableTopicResponse,
  defaultFetchResponsePartitionData,
  defaultProduceRequest,
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  type ProduceRequest,
} from '../../../lib/kafka/gen/index.js';
import { buildRecordBatchSync } from '../../../lib/kafka/record-batch/build-batch.js';

function records(...counts: number[]): Buffer {
  return Buffer.concat(
    counts.map((n) =>
      buildRecordBatchSync({
        records: Array.from({ length: n }, () => ({ key: null, value: Buffer.from('v') })),
      }),
    ),
  );
}

const request: ProduceRequest = {
  ...defaultProduceRequest(),
  acks: -1,
  topicData: [
    {
      name: 'a',
      partitionData: [
        { index: 0, records: records(3, 2) },
        { index: 1, records: records(10) },
      ],
    },
    { name: 'b', partitionData: [{ index: 0, records: records(7) }] },
  ],
};

function answered(errors: Record<string, number>) {
  return {
    ...defaultProduceResponse(),
    responses: request.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => ({
        ...defaultProduceResponsePartitionProduceResponse(),
        index: p.index,
        errorCode: errors[`${t.name}-${p.index}`] ?? 0,
      })),
    })),
  };
}

describe('producedRecords', () => {
  it('counts the records of every accepted partition', () => {
    expect(producedRecords(request, answered({}))).toBe(22);
  });

  it('leaves out the partitions answered with an error', () => {
    expect(producedRecords(request, answered({ 'a-1': 6, 'b-0': 3 }))).toBe(5);
  });

  it('counts every partition when no response is sent (acks=0)', () => {
    expect(producedRecords({ ...request, acks: 0 }, null)).toBe(22);
  });
});

describe('fetchedRecords', () => {
  it('counts the records of every returned batch', () => {
    const response = {
      ...defaultFetchResponse(),
      responses: [
        {
          ...defaultFetchResponseFetchableTopicResponse(),
          partitions: [
            { ...defaultFetchResponsePartitionData(), records: records(4, 4) },
            { ...defaultFetchResponsePartitionData(), records: null },
            { ...defaultFetchResponsePartitionData(), errorCode: 1, records: new Uint8Array(0) },
          ],
        },
        {
          ...defaultFetchResponseFetchableTopicResponse(),
          partitions: [{ ...defaultFetchResponsePartitionData(), records: records(1) }],
        },
      ],
    };
    expect(fetchedRecords(response)).toBe(9);
  });
});
