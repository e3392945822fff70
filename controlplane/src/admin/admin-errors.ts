/**
 * How the admin API fails: a gRPC status whose message names the bad value. Kafka error
 * codes from the shared topic and group code become the status an operator's tool can act
 * on, with the Kafka error's name kept in the message.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import { errorInfo, KafkaError } from '../../../lib/kafka/error-codes.js';

const STATUS_BY_KAFKA_ERROR = new Map<number, Code>([
  [KafkaError.TOPIC_ALREADY_EXISTS, Code.AlreadyExists],
  [KafkaError.UNKNOWN_TOPIC_OR_PARTITION, Code.NotFound],
  [KafkaError.UNKNOWN_TOPIC_ID, Code.NotFound],
  [KafkaError.GROUP_ID_NOT_FOUND, Code.NotFound],
  [KafkaError.INVALID_TOPIC_EXCEPTION, Code.InvalidArgument],
  [KafkaError.INVALID_PARTITIONS, Code.InvalidArgument],
  [KafkaError.INVALID_REPLICATION_FACTOR, Code.InvalidArgument],
  [KafkaError.INVALID_CONFIG, Code.InvalidArgument],
  [KafkaError.INVALID_REQUEST, Code.InvalidArgument],
  [KafkaError.POLICY_VIOLATION, Code.InvalidArgument],
  [KafkaError.INVALID_GROUP_ID, Code.InvalidArgument],
  [KafkaError.UNKNOWN_MEMBER_ID, Code.FailedPrecondition],
  [KafkaError.REBALANCE_IN_PROGRESS, Code.FailedPrecondition],
  [KafkaError.NON_EMPTY_GROUP, Code.FailedPrecondition],
]);

/** The status for a Kafka error code: retriable codes are UNAVAILABLE, unknown ones INTERNAL. */
export function statusOfKafkaError(code: number): Code {
  const mapped = STATUS_BY_KAFKA_ERROR.get(code);
  if (mapped !== undefined) return mapped;
  return errorInfo(code).retriable ? Code.Unavailable : Code.Internal;
}

/** A failure carrying a Kafka error: `<what>: <KAFKA_ERROR_NAME>: <message>`. */
export function kafkaFailure(what: string, code: number, message: string): ConnectError {
  const name = errorInfo(code).name;
  return new ConnectError(
    `${what}: ${name}${message === '' ? '' : `: ${message}`}`,
    statusOfKafkaError(code),
  );
}

export function invalidArgument(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

export function notFound(message: string): ConnectError {
  return new ConnectError(message, Code.NotFound);
}

export function failedPrecondition(message: string): ConnectError {
  return new ConnectError(message, Code.FailedPrecondition);
}
