/**
 * Topic names exactly as Kafka accepts them (`org.apache.kafka.common.internals.Topic`):
 * 1 to 249 characters of [a-zA-Z0-9._-], and neither "." nor "..".
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { topicFailure, type TopicFailure } from './topic-failure.js';

export const MAX_TOPIC_NAME_LENGTH = 249;

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Undefined when `name` is a legal topic name, else INVALID_TOPIC_EXCEPTION naming it. */
export function validateTopicName(name: string): TopicFailure | undefined {
  const bad = (why: string) =>
    topicFailure(KafkaError.INVALID_TOPIC_EXCEPTION, `topic name ${JSON.stringify(name)} ${why}`);
  if (name.length === 0) return bad('is illegal: it is empty');
  if (name === '.' || name === '..') return bad('is illegal: it cannot be "." or ".."');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return bad(`is illegal: it is longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  }
  if (!LEGAL.test(name)) {
    return bad(
      "is illegal: it contains a character other than ASCII alphanumerics, '.', '_' and '-'",
    );
  }
  return undefined;
}
