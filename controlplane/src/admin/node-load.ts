/**
 * Reads one process's load from `GET http://<metricsAddr>/load` (lib/metrics/load-snapshot.ts)
 * for the cluster status. A process that is not reachable within the timeout, answers with
 * an error, or registered no metrics address gets a load with `reported: false` and the
 * reason, never a failed status call.
 */
import { create } from '@bufbuild/protobuf';
import {
  NodeLoadSchema,
  type NodeLoad,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import type { LoadSnapshot } from '../../../lib/metrics/load-snapshot.js';

/** How long the status waits for one process's load. */
export const NODE_LOAD_TIMEOUT_MS = 1000;

function figure(o: Record<string, unknown>, name: keyof LoadSnapshot): number {
  const v = o[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function count(o: Record<string, unknown>, name: keyof LoadSnapshot): bigint {
  return BigInt(Math.max(0, Math.round(figure(o, name))));
}

function unreported(metricsAddress: string, error: string): NodeLoad {
  return create(NodeLoadSchema, { reported: false, error, metricsAddress });
}

export async function readNodeLoad(
  metricsAddr: string | undefined,
  timeoutMs = NODE_LOAD_TIMEOUT_MS,
): Promise<NodeLoad> {
  if (metricsAddr === undefined || metricsAddr === '') {
    return unreported('', 'the process registered no metrics address');
  }
  let body: unknown;
  try {
    const res = await fetch(`http://${metricsAddr}/load`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return unreported(metricsAddr, `/load answered HTTP ${res.status}`);
    body = await res.json();
  } catch (e) {
    const timedOut = e instanceof Error && e.name === 'TimeoutError';
    const reason = timedOut
      ? `no answer from /load within ${timeoutMs} ms`
      : `/load failed: ${e instanceof Error ? e.message : String(e)}`;
    return unreported(metricsAddr, reason);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return unreported(metricsAddr, '/load did not answer a JSON object');
  }
  const o = body as Record<string, unknown>;
  return create(NodeLoadSchema, {
    reported: true,
    metricsAddress: metricsAddr,
    connections: count(o, 'connections'),
    requestsInflight: count(o, 'requestsInflight'),
    inflightBytes: count(o, 'inflightBytes'),
    produceRecordsPerSec: figure(o, 'produceRecordsPerSec'),
    fetchRecordsPerSec: figure(o, 'fetchRecordsPerSec'),
    ownedPartitions: count(o, 'ownedPartitions'),
    bufferedBytes: count(o, 'bufferedBytes'),
    rssBytes: count(o, 'rssBytes'),
    eventLoopLagSeconds: figure(o, 'eventLoopLagSeconds'),
  });
}
