/**
 * GET /ui/api/groups: a page of the consumer groups, each group on the page described for
 * its total lag. GET /ui/api/groups/ID: one group's members, their assignments, and the
 * committed offset and lag of each partition.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import { ADMIN_CALL_TIMEOUT_MS, type AdminClient } from './admin-client.js';
import { int64, knownInt64, mapLimited } from './json-values.js';
import { pageOf } from './paging.js';

const DESCRIBE_CONCURRENCY = 8;

export async function groupsPage(admin: AdminClient, params: URLSearchParams) {
  const listing = await admin.listGroups({}, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  const page = pageOf(listing.groups, (g) => g.groupId, params);
  const items = await mapLimited(page.items, DESCRIBE_CONCURRENCY, async (g) => {
    let totalLag: number | string | null = null;
    try {
      const d = await admin.describeGroup(
        { groupId: g.groupId },
        { timeoutMs: ADMIN_CALL_TIMEOUT_MS },
      );
      totalLag = int64(d.totalLag);
    } catch (e) {
      if (!(e instanceof ConnectError && e.code === Code.NotFound)) throw e;
    }
    return {
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      members: g.members,
      totalLag,
    };
  });
  return { ...page, items, unheldShards: [...listing.unheldShards] };
}

export async function groupView(admin: AdminClient, groupId: string) {
  const d = await admin.describeGroup({ groupId }, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  return {
    groupId: d.group?.groupId ?? groupId,
    state: d.group?.state ?? '',
    protocolType: d.group?.protocolType ?? '',
    protocol: d.protocol,
    totalLag: int64(d.totalLag),
    members: d.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId === '' ? null : m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assigned: [...m.assigned],
    })),
    partitions: d.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      committedOffset: knownInt64(p.committedOffset),
      highWatermark: knownInt64(p.highWatermark),
      lag: knownInt64(p.lag),
      memberId: p.memberId === '' ? null : p.memberId,
    })),
  };
}
