/**
 * The console's admin actions, each behind the admin token (admin-token.ts):
 * - POST /ui/api/topics {name, partitions?, configs?, validateOnly?}: CreateTopic;
 * - POST /ui/api/groups/ID/reset-offsets {topics, to, offset?, timestampMs?, dryRun?}:
 *   ResetGroupOffsets (to: earliest, latest, offset or timestamp), answered when done;
 * - POST /ui/api/nodes/ID/drain: starts DrainStorageNode and answers with its first
 *   report; the node stays drained and hands its partitions over (the cluster page shows
 *   them leaving), until POST /ui/api/nodes/ID/resume.
 */
import { ADMIN_CALL_TIMEOUT_MS, type AdminClient } from './admin-client.js';
import { int64 } from './json-values.js';
import { badRequest } from '../http/http-error.js';
import {
  booleanField,
  objectBody,
  optionalIntegerField,
  quote,
  stringField,
  stringListField,
  stringMapField,
} from '../http/request-values.js';
import type { ResetGroupOffsetsRequest } from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';

/** An offset reset over many partitions may take longer than a page's call. */
const RESET_TIMEOUT_MS = 60_000;

export async function createTopicAction(admin: AdminClient, body: unknown) {
  const b = objectBody(body);
  const name = stringField(b, 'name');
  const partitions = optionalIntegerField(b, 'partitions', 0, 1_000_000) ?? 0;
  const r = await admin.createTopic(
    {
      name,
      partitions,
      configs: stringMapField(b, 'configs'),
      validateOnly: booleanField(b, 'validateOnly'),
    },
    { timeoutMs: ADMIN_CALL_TIMEOUT_MS },
  );
  return { name, topicId: r.topicId, partitions: r.partitions };
}

type ResetTarget = ResetGroupOffsetsRequest['to'];

function resetTarget(b: Record<string, unknown>): ResetTarget {
  const to = b.to;
  switch (to) {
    case 'earliest':
      return { case: 'earliest', value: true };
    case 'latest':
      return { case: 'latest', value: true };
    case 'offset': {
      const offset = optionalIntegerField(b, 'offset', 0, Number.MAX_SAFE_INTEGER);
      if (offset === undefined) throw badRequest('to=offset needs offset (an integer)');
      return { case: 'offset', value: BigInt(offset) };
    }
    case 'timestamp': {
      const ms = optionalIntegerField(b, 'timestampMs', 0, Number.MAX_SAFE_INTEGER);
      if (ms === undefined) throw badRequest('to=timestamp needs timestampMs (ms since the epoch)');
      return { case: 'timestampMs', value: BigInt(ms) };
    }
    default:
      throw badRequest(
        `to must be one of earliest, latest, offset, timestamp, not ${quote(to ?? null)}`,
      );
  }
}

export async function resetOffsetsAction(admin: AdminClient, groupId: string, body: unknown) {
  const b = objectBody(body);
  const request = {
    groupId,
    topics: stringListField(b, 'topics'),
    to: resetTarget(b),
    dryRun: booleanField(b, 'dryRun'),
  };
  for await (const progress of admin.resetGroupOffsets(request, { timeoutMs: RESET_TIMEOUT_MS })) {
    if (progress.done) {
      return {
        groupId,
        dryRun: request.dryRun,
        offsets: progress.offsets.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          previousOffset: o.previousOffset < 0n ? null : int64(o.previousOffset),
          offset: int64(o.offset),
        })),
      };
    }
  }
  throw new Error('the offset reset ended without its result');
}

export async function drainAction(admin: AdminClient, node: string) {
  const abort = new AbortController();
  try {
    for await (const progress of admin.drainStorageNode(
      { node },
      { timeoutMs: ADMIN_CALL_TIMEOUT_MS, signal: abort.signal },
    )) {
      return { node, total: progress.total, remaining: progress.remaining, done: progress.done };
    }
  } finally {
    // The drain goes on without this call: the node stays marked as draining.
    abort.abort();
  }
  throw new Error('the drain ended without a report');
}

export async function resumeAction(admin: AdminClient, node: string) {
  await admin.resumeStorageNode({ node }, { timeoutMs: ADMIN_CALL_TIMEOUT_MS });
  return { node, draining: false };
}
