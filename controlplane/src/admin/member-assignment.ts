/**
 * The partitions a consumer-group member was assigned, read from its consumer-protocol
 * assignment (the SyncGroup bytes the coordinator keeps). Groups of other protocol types,
 * or bytes that do not decode, name no partitions.
 */
import { decodeConsumerProtocolAssignment } from '../../../lib/kafka/gen/data/consumer-protocol-assignment.js';
import { Reader } from '../../../lib/kafka/protocol/reader.js';

const NEWEST_ASSIGNMENT_VERSION = 3;

export interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
}

export function assignedPartitions(
  protocolType: string,
  assignment: Uint8Array,
): AssignedPartition[] {
  if (protocolType !== 'consumer' || assignment.length < 2) return [];
  try {
    const r = new Reader(assignment);
    // Newer versions only add fields: read them as the newest version this codec knows.
    const version = Math.min(r.int16(), NEWEST_ASSIGNMENT_VERSION);
    return decodeConsumerProtocolAssignment(r, version).assignedPartitions.flatMap((t) =>
      t.partitions.map((partition) => ({ topic: t.topic, partition })),
    );
  } catch {
    return [];
  }
}
