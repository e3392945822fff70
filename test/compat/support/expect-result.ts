/** The assertions every client's compatibility test makes on its CompatResult. */
import { expect } from 'vitest';
import { summarize, type CompatResult } from './scenario.js';

export function expectScenarioPassed(result: CompatResult, records: number, wallMs: number): void {
  const s = summarize(result);
  process.stderr.write(
    `${result.client} (${result.version}): ${s.totalConsumed}/${s.totalAcked} records, ` +
      `${wallMs} ms, timings ${JSON.stringify(result.timingsMs)}\n`,
  );
  expect(s.problems).toEqual([]);
  expect(result.partitions.map((p) => `${p.topic}/${p.partition}`).sort()).toEqual(
    [0, 1, 2, 3]
      .map((p) => `compat-${clientTopicName(result.client)}-a/${p}`)
      .concat(`compat-${clientTopicName(result.client)}-b/0`),
  );
  expect(s.totalAcked).toBe(records + 1);
  expect(s.totalConsumed).toBe(records + 1);
}

function clientTopicName(client: string): string {
  return client === 'confluent-kafka-python' ? 'python' : client;
}
