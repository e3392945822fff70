/** Broker resource names: a broker id as Java's Integer.parseInt reads it. */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicFailure, type TopicFailure } from '../topics/topic-failure.js';

/** The id, or INVALID_REQUEST worded as Kafka words it ("<label> must be an integer, ..."). */
export function parseBrokerId(name: string, label: string): number | TopicFailure {
  if (/^[+-]?\d{1,10}$/.test(name)) {
    const id = Number(name);
    if (id >= -(2 ** 31) && id < 2 ** 31) return id;
  }
  return topicFailure(
    KafkaError.INVALID_REQUEST,
    `${label} must be an integer, but it is: ${name}`,
  );
}
