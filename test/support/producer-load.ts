/**
 * A steady produce load for fault tests: `producers` kafkajs producers, each keeping `lanes`
 * requests of `recordsPerRequest` records of `recordBytes` in flight, until stopped. The
 * Kafka client should have no retries, so every outcome is seen: acknowledged record ids,
 * error counts by Kafka error type, and the time of each acknowledged request.
 */
import type { Kafka } from 'kafkajs';

export interface ProducerLoadOptions {
  readonly topic: string;
  readonly partitions: number;
  readonly producers: number;
  readonly lanes: number;
  readonly recordsPerRequest: number;
  readonly recordBytes: number;
  /** The produce request's timeout (ms). */
  readonly timeoutMs: number;
  /** Prefix of the record ids (the records' keys). */
  readonly tag?: string;
}

export interface ProducerLoad {
  readonly acked: Set<string>;
  readonly errors: Map<string, number>;
  readonly ackTimes: number[];
  stop(): Promise<void>;
}

export function startProducerLoad(kafka: Kafka, o: ProducerLoadOptions): ProducerLoad {
  const acked = new Set<string>();
  const errors = new Map<string, number>();
  const ackTimes: number[] = [];
  let running = true;
  const value = Buffer.alloc(o.recordBytes, 1);
  const loops = Array.from({ length: o.producers }, async (_, p) => {
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await Promise.all(
      Array.from({ length: o.lanes }, async (_, lane) => {
        for (let n = 0; running; n++) {
          const ids = Array.from(
            { length: o.recordsPerRequest },
            (_, i) => `${o.tag ?? 'r'}-${p}-${lane}-${n}-${i}`,
          );
          try {
            await producer.send({
              topic: o.topic,
              acks: -1,
              timeout: o.timeoutMs,
              messages: ids.map((id) => ({ partition: p % o.partitions, key: id, value })),
            });
            for (const id of ids) acked.add(id);
            ackTimes.push(Date.now());
          } catch (e) {
            // kafkajs wraps the broker's error: count the cause (a Kafka error type).
            const cause = (e as { cause?: { type?: string; name?: string } }).cause;
            const type = cause?.type ?? cause?.name ?? (e as Error).name;
            errors.set(type, (errors.get(type) ?? 0) + 1);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }),
    );
    await producer.disconnect();
  });
  return {
    acked,
    errors,
    ackTimes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
