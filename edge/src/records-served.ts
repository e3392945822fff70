/**
 * Records a Produce or Fetch carried, for the edge's records-per-second gauges: counted from
 * each RecordBatch header (lib/kafka/record-batch/count-records.ts), never by decoding.
 */
import type { FetchResponse, ProduceRequest, ProduceResponse } from '../../lib/kafka/gen/index.js';
import { countRecords } from '../../lib/kafka/record-batch/count-records.js';

/**
 * Records of the partitions the response accepted (error code 0). With no response
 * (acks=0) the outcome is unknown, and every partition's records count.
 */
export function producedRecords(request: ProduceRequest, response: ProduceResponse | null): number {
  const errors = new Map<string, number>();
  for (const t of response?.responses ?? [])
    for (const p of t.partitionResponses) errors.set(`${t.name}\0${p.index}`, p.errorCode);
  let n = 0;
  for (const t of request.topicData) {
    for (const p of t.partitionData) {
      if (response === null || errors.get(`${t.name}\0${p.index}`) === 0)
        n += countRecords(p.records);
    }
  }
  return n;
}

/** Records of the batches the response returns (whole batches, as Kafka sends them). */
export function fetchedRecords(response: FetchResponse): number {
  let n = 0;
  for (const t of response.responses) for (const p of t.partitions) n += countRecords(p.records);
  return n;
}
