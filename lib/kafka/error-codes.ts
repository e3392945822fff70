/**
 * Apache Kafka protocol error codes, complete as of Kafka 3.9 (codes -1 through 127).
 *
 * Codes, names and the retriable flag follow Kafka's `Errors` enum: an error is retriable
 * when its exception class extends `RetriableException`, so a client may repeat the same
 * request (usually after refreshing metadata or backing off) and expect it to succeed.
 * The descriptions are our own short summaries, not Kafka's messages.
 */

export interface KafkaErrorInfo {
  readonly code: number;
  readonly name: string;
  readonly retriable: boolean;
  readonly description: string;
}

/** One row per error: [code, name, retriable, description]. Keep in code order. */
// prettier-ignore
const TABLE = [
  [-1, 'UNKNOWN_SERVER_ERROR', false, 'Unexpected server-side failure while handling the request.'],
  [0, 'NONE', false, 'Success; no error.'],
  [1, 'OFFSET_OUT_OF_RANGE', false, 'Requested offset lies outside the range the log currently holds.'],
  [2, 'CORRUPT_MESSAGE', true, 'Record failed CRC or size checks, has a null key on a compacted topic, or is otherwise malformed.'],
  [3, 'UNKNOWN_TOPIC_OR_PARTITION', true, 'This broker does not host the topic-partition (it may not exist or metadata is stale).'],
  [4, 'INVALID_FETCH_SIZE', false, 'Fetch size in the request is not acceptable.'],
  [5, 'LEADER_NOT_AVAILABLE', true, 'Partition has no leader right now, typically during a leader election.'],
  [6, 'NOT_LEADER_OR_FOLLOWER', true, 'Broker is not the leader (for leader-only requests) or not a replica of the partition.'],
  [7, 'REQUEST_TIMED_OUT', true, 'Request did not complete within its timeout.'],
  [8, 'BROKER_NOT_AVAILABLE', false, 'Target broker is not available.'],
  [9, 'REPLICA_NOT_AVAILABLE', true, 'Replica for the partition is not available on this broker.'],
  [10, 'MESSAGE_TOO_LARGE', false, 'A record exceeds the largest message size the broker accepts.'],
  [11, 'STALE_CONTROLLER_EPOCH', false, 'Request carries an old controller epoch; the controller has moved.'],
  [12, 'OFFSET_METADATA_TOO_LARGE', false, 'Metadata string attached to an offset commit is too long.'],
  [13, 'NETWORK_EXCEPTION', true, 'Connection was closed before a response arrived.'],
  [14, 'COORDINATOR_LOAD_IN_PROGRESS', true, 'Coordinator is still loading its state and cannot serve requests yet.'],
  [15, 'COORDINATOR_NOT_AVAILABLE', true, 'Coordinator for the group or transaction is not available.'],
  [16, 'NOT_COORDINATOR', true, 'This broker is not the coordinator for the given group or transactional id.'],
  [17, 'INVALID_TOPIC_EXCEPTION', false, 'Operation targets a topic that is invalid (bad name or internal topic misuse).'],
  [18, 'RECORD_LIST_TOO_LARGE', false, 'Record batch is larger than the configured log segment size.'],
  [19, 'NOT_ENOUGH_REPLICAS', true, 'Write refused because the in-sync replica set is smaller than min.insync.replicas.'],
  [20, 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', true, 'Write was appended but acknowledged by fewer in-sync replicas than required.'],
  [21, 'INVALID_REQUIRED_ACKS', false, 'Produce request has an unsupported acks value.'],
  [22, 'ILLEGAL_GENERATION', false, 'Group generation id in the request is not the current one.'],
  [23, 'INCONSISTENT_GROUP_PROTOCOL', false, 'Member protocols do not match the group, or the first member joined with no protocol.'],
  [24, 'INVALID_GROUP_ID', false, 'Group id is empty or otherwise invalid.'],
  [25, 'UNKNOWN_MEMBER_ID', false, 'Coordinator does not recognise this member id.'],
  [26, 'INVALID_SESSION_TIMEOUT', false, 'Session timeout is outside the broker-configured min/max bounds.'],
  [27, 'REBALANCE_IN_PROGRESS', false, 'Group is rebalancing; the member must rejoin.'],
  [28, 'INVALID_COMMIT_OFFSET_SIZE', false, 'Offset commit payload size is invalid.'],
  [29, 'TOPIC_AUTHORIZATION_FAILED', false, 'Principal is not authorized for the topic.'],
  [30, 'GROUP_AUTHORIZATION_FAILED', false, 'Principal is not authorized for the group.'],
  [31, 'CLUSTER_AUTHORIZATION_FAILED', false, 'Principal is not authorized for the cluster-level operation.'],
  [32, 'INVALID_TIMESTAMP', false, 'Record timestamp is outside the accepted range.'],
  [33, 'UNSUPPORTED_SASL_MECHANISM', false, 'Requested SASL mechanism is not enabled on the broker.'],
  [34, 'ILLEGAL_SASL_STATE', false, 'Request is not allowed in the current SASL handshake state.'],
  [35, 'UNSUPPORTED_VERSION', false, 'API version used by the request is not supported.'],
  [36, 'TOPIC_ALREADY_EXISTS', false, 'A topic with that name already exists.'],
  [37, 'INVALID_PARTITIONS', false, 'Partition count is invalid (for example below 1).'],
  [38, 'INVALID_REPLICATION_FACTOR', false, 'Replication factor is below 1 or exceeds the available brokers.'],
  [39, 'INVALID_REPLICA_ASSIGNMENT', false, 'Explicit replica assignment is invalid.'],
  [40, 'INVALID_CONFIG', false, 'Supplied configuration is invalid.'],
  [41, 'NOT_CONTROLLER', true, 'This broker is not the active controller.'],
  [42, 'INVALID_REQUEST', false, 'Request is malformed or was sent to an incompatible broker.'],
  [43, 'UNSUPPORTED_FOR_MESSAGE_FORMAT', false, "Broker's message format version cannot serve this request."],
  [44, 'POLICY_VIOLATION', false, 'Request violates a configured broker policy.'],
  [45, 'OUT_OF_ORDER_SEQUENCE_NUMBER', false, 'Producer sequence number is not the next one the broker expects.'],
  [46, 'DUPLICATE_SEQUENCE_NUMBER', false, 'Producer sequence number was already written.'],
  [47, 'INVALID_PRODUCER_EPOCH', false, 'Producer epoch is older than the current one.'],
  [48, 'INVALID_TXN_STATE', false, 'Transactional operation is not valid in the current transaction state.'],
  [49, 'INVALID_PRODUCER_ID_MAPPING', false, 'Producer id is not the one assigned to this transactional id.'],
  [50, 'INVALID_TRANSACTION_TIMEOUT', false, 'Transaction timeout exceeds the broker maximum.'],
  [51, 'CONCURRENT_TRANSACTIONS', true, 'Another operation on the same transaction is still in progress.'],
  [52, 'TRANSACTION_COORDINATOR_FENCED', false, 'Sender of a transaction marker is no longer the coordinator for the producer.'],
  [53, 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false, 'Principal is not authorized for the transactional id.'],
  [54, 'SECURITY_DISABLED', false, 'Security features are not enabled on this cluster.'],
  [55, 'OPERATION_NOT_ATTEMPTED', false, 'Broker skipped this operation, typically because an earlier one in the batch failed.'],
  [56, 'KAFKA_STORAGE_ERROR', true, 'Disk error while accessing the log.'],
  [57, 'LOG_DIR_NOT_FOUND', false, 'Named log directory is not configured on the broker.'],
  [58, 'SASL_AUTHENTICATION_FAILED', false, 'SASL authentication did not succeed.'],
  [59, 'UNKNOWN_PRODUCER_ID', false, 'Broker has no state for this producer id (for example its records expired).'],
  [60, 'REASSIGNMENT_IN_PROGRESS', false, 'A partition reassignment is already running.'],
  [61, 'DELEGATION_TOKEN_AUTH_DISABLED', false, 'Delegation tokens are not enabled.'],
  [62, 'DELEGATION_TOKEN_NOT_FOUND', false, 'Delegation token does not exist on the server.'],
  [63, 'DELEGATION_TOKEN_OWNER_MISMATCH', false, 'Principal is not the owner or a renewer of the token.'],
  [64, 'DELEGATION_TOKEN_REQUEST_NOT_ALLOWED', false, 'Token requests are refused on this kind of channel or authentication.'],
  [65, 'DELEGATION_TOKEN_AUTHORIZATION_FAILED', false, 'Principal is not authorized for the delegation token operation.'],
  [66, 'DELEGATION_TOKEN_EXPIRED', false, 'Delegation token has expired.'],
  [67, 'INVALID_PRINCIPAL_TYPE', false, 'Principal type is not supported.'],
  [68, 'NON_EMPTY_GROUP', false, 'Group still has members, so the operation is refused.'],
  [69, 'GROUP_ID_NOT_FOUND', false, 'No group with that id exists.'],
  [70, 'FETCH_SESSION_ID_NOT_FOUND', true, 'Incremental fetch session id is unknown to the broker.'],
  [71, 'INVALID_FETCH_SESSION_EPOCH', true, 'Incremental fetch session epoch is wrong.'],
  [72, 'LISTENER_NOT_FOUND', true, 'Leader has no listener matching the one the metadata request came in on.'],
  [73, 'TOPIC_DELETION_DISABLED', false, 'Topic deletion is turned off on the cluster.'],
  [74, 'FENCED_LEADER_EPOCH', true, 'Leader epoch in the request is older than the broker has.'],
  [75, 'UNKNOWN_LEADER_EPOCH', true, 'Leader epoch in the request is newer than the broker has.'],
  [76, 'UNSUPPORTED_COMPRESSION_TYPE', false, "Client cannot handle the partition's compression type."],
  [77, 'STALE_BROKER_EPOCH', false, 'Broker epoch in the request is out of date.'],
  [78, 'OFFSET_NOT_AVAILABLE', true, 'New leader has not caught up its high watermark, so offsets are not yet safe to serve.'],
  [79, 'MEMBER_ID_REQUIRED', false, 'Member must obtain a member id before joining the group.'],
  [80, 'PREFERRED_LEADER_NOT_AVAILABLE', true, 'Preferred leader replica is not available.'],
  [81, 'GROUP_MAX_SIZE_REACHED', false, 'Group already has the maximum number of members.'],
  [82, 'FENCED_INSTANCE_ID', false, 'Static member fenced: another member registered the same group.instance.id.'],
  [83, 'ELIGIBLE_LEADERS_NOT_AVAILABLE', true, 'No eligible leader is available for the partition.'],
  [84, 'ELECTION_NOT_NEEDED', true, 'Partition already has the desired leader; no election needed.'],
  [85, 'NO_REASSIGNMENT_IN_PROGRESS', false, 'There is no partition reassignment to act on.'],
  [86, 'GROUP_SUBSCRIBED_TO_TOPIC', false, 'Cannot delete offsets for a topic the group is actively subscribed to.'],
  [87, 'INVALID_RECORD', false, 'Broker-side record validation rejected the record.'],
  [88, 'UNSTABLE_OFFSET_COMMIT', true, 'Pending transactional offsets must resolve before offsets can be read.'],
  [89, 'THROTTLING_QUOTA_EXCEEDED', true, 'Request exceeded a throttling quota.'],
  [90, 'PRODUCER_FENCED', false, 'A newer producer with the same transactional id has fenced this one.'],
  [91, 'RESOURCE_NOT_FOUND', false, 'Request names a resource that does not exist.'],
  [92, 'DUPLICATE_RESOURCE', false, 'Request names the same resource more than once.'],
  [93, 'UNACCEPTABLE_CREDENTIAL', false, 'Requested credential does not meet acceptance criteria.'],
  [94, 'INCONSISTENT_VOTER_SET', false, 'Sender or receiver of a voter-only request is not an expected voter.'],
  [95, 'INVALID_UPDATE_VERSION', false, 'Supplied update version is invalid.'],
  [96, 'FEATURE_UPDATE_FAILED', false, 'Finalized feature update failed because of an unexpected server error.'],
  [97, 'PRINCIPAL_DESERIALIZATION_FAILURE', false, 'Forwarded request principal could not be deserialized.'],
  [98, 'SNAPSHOT_NOT_FOUND', false, 'Requested snapshot does not exist.'],
  [99, 'POSITION_OUT_OF_RANGE', false, 'Requested snapshot position is negative or past its end.'],
  [100, 'UNKNOWN_TOPIC_ID', true, 'This broker does not host a topic with that topic id.'],
  [101, 'DUPLICATE_BROKER_REGISTRATION', false, 'Broker id is already registered by another broker.'],
  [102, 'BROKER_ID_NOT_REGISTERED', false, 'Broker id has not been registered.'],
  [103, 'INCONSISTENT_TOPIC_ID', true, 'Topic id in the request does not match the topic id of the log.'],
  [104, 'INCONSISTENT_CLUSTER_ID', false, 'Cluster id in the request does not match the server.'],
  [105, 'TRANSACTIONAL_ID_NOT_FOUND', false, 'Transactional id is unknown.'],
  [106, 'FETCH_SESSION_TOPIC_ID_ERROR', true, 'Fetch session mixed or changed topic id usage inconsistently.'],
  [107, 'INELIGIBLE_REPLICA', false, 'Proposed ISR contains a replica that is not eligible.'],
  [108, 'NEW_LEADER_ELECTED', false, 'Partition state was updated but a new leader has since been elected.'],
  [109, 'OFFSET_MOVED_TO_TIERED_STORAGE', false, 'Requested offset now lives only in tiered (remote) storage.'],
  [110, 'FENCED_MEMBER_EPOCH', false, 'Member epoch fenced; the member must drop its partitions and rejoin.'],
  [111, 'UNRELEASED_INSTANCE_ID', false, 'Instance id is still held by another member, which must leave first.'],
  [112, 'UNSUPPORTED_ASSIGNOR', false, 'Group does not support the requested assignor or its versions.'],
  [113, 'STALE_MEMBER_EPOCH', false, 'Member epoch is out of date; retry after the heartbeat returns the current epoch.'],
  [114, 'MISMATCHED_ENDPOINT_TYPE', false, 'Request reached the wrong kind of endpoint (broker vs controller).'],
  [115, 'UNSUPPORTED_ENDPOINT_TYPE', false, 'This endpoint type is not supported yet.'],
  [116, 'UNKNOWN_CONTROLLER_ID', false, 'Controller id is not known.'],
  [117, 'UNKNOWN_SUBSCRIPTION_ID', false, 'Telemetry push used an unknown or outdated subscription id.'],
  [118, 'TELEMETRY_TOO_LARGE', false, 'Telemetry push exceeded the size the broker accepts.'],
  [119, 'INVALID_REGISTRATION', false, 'Controller deemed the broker registration invalid.'],
  [120, 'TRANSACTION_ABORTABLE', false, 'Transaction hit an error; aborting it lets the transactional id be used again.'],
  [121, 'INVALID_RECORD_STATE', false, 'Record is in a state that does not allow the delivery acknowledgement.'],
  [122, 'SHARE_SESSION_NOT_FOUND', true, 'Share session is unknown to the broker.'],
  [123, 'INVALID_SHARE_SESSION_EPOCH', true, 'Share session epoch is wrong.'],
  [124, 'FENCED_STATE_EPOCH', false, 'Share coordinator refused the request because the share-group state epoch differs.'],
  [125, 'INVALID_VOTER_KEY', false, "Voter key does not match the receiving replica's key."],
  [126, 'DUPLICATE_VOTER', false, 'Voter is already in the voter set.'],
  [127, 'VOTER_NOT_FOUND', false, 'Voter is not in the voter set.'],
] as const satisfies readonly (readonly [number, string, boolean, string])[];

type Row = (typeof TABLE)[number];
type CodeOf<N extends Row[1]> = Extract<Row, readonly [number, N, boolean, string]>[0];

/** Error name -> code, e.g. `KafkaError.NOT_LEADER_OR_FOLLOWER === 6`. */
export const KafkaError = Object.freeze(
  Object.fromEntries(TABLE.map(([code, name]) => [name, code])),
) as { readonly [N in Row[1]]: CodeOf<N> };

export type KafkaErrorName = keyof typeof KafkaError;

/** Every known error, in code order. */
export const ALL_ERRORS: readonly KafkaErrorInfo[] = Object.freeze(
  TABLE.map(([code, name, retriable, description]) =>
    Object.freeze({ code, name, retriable, description }),
  ),
);

const BY_CODE: ReadonlyMap<number, KafkaErrorInfo> = new Map(ALL_ERRORS.map((e) => [e.code, e]));

/** Info for a code; codes Kafka 3.9 does not define yield `UNKNOWN_CODE_<n>`, not retriable. */
export function errorInfo(code: number): KafkaErrorInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      name: `UNKNOWN_CODE_${code}`,
      retriable: false,
      description: `Error code ${code} is not defined by the Kafka protocol (as of 3.9).`,
    }
  );
}

/** Whether a client may retry a request that failed with this code. */
export function isRetriable(code: number): boolean {
  return BY_CODE.get(code)?.retriable ?? false;
}
