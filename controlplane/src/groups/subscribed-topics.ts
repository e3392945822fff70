/**
 * The topics a consumer group's members subscribe to, read from their consumer-protocol
 * subscriptions (the JoinGroup metadata of the selected protocol). OffsetDelete refuses to
 * delete offsets of these topics while the group is active, as Kafka does.
 */
import { decodeConsumerProtocolSubscription } from '../../../lib/kafka/gen/data/consumer-protocol-subscription.js';
import { Reader } from '../../../lib/kafka/protocol/reader.js';
import type { Group } from './group.js';

const NEWEST_SUBSCRIPTION_VERSION = 3;

export function subscribedTopics(group: Group): Set<string> {
  const topics = new Set<string>();
  for (const m of group.members.values()) {
    const metadata = m.metadataFor(group.protocolName);
    if (metadata.length < 2) continue;
    try {
      const r = new Reader(metadata);
      // Newer versions only add fields: read them as the newest version this codec knows.
      const version = Math.min(r.int16(), NEWEST_SUBSCRIPTION_VERSION);
      for (const t of decodeConsumerProtocolSubscription(r, version).topics) topics.add(t);
    } catch {
      // A subscription that does not decode subscribes to nothing we can name.
    }
  }
  return topics;
}
