/** FlushStorageNodes: asks one live storage node, or every one, to flush its pending batches now. */
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  FlushStorageNodesResponseSchema,
  type FlushStorageNodesResponse,
} from '../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import type { AdminPeers } from './admin-peers.js';
import { notFound } from './admin-errors.js';

export async function flushStorageNodes(
  view: MetadataView,
  peers: AdminPeers,
  node: string,
): Promise<FlushStorageNodesResponse> {
  const nodes = node === '' ? view.storageNodes() : [view.storageNode(node)];
  const live = nodes.filter((n) => n !== undefined);
  if (live.length === 0) {
    throw notFound(node === '' ? 'no storage node is live' : `storage node '${node}' is not live`);
  }
  const failures: string[] = [];
  await Promise.all(
    live.map(async (n) => {
      try {
        await peers.storage(n).flush({});
      } catch (e) {
        failures.push(`${n.id}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  if (failures.length > 0) {
    throw new ConnectError(`flush failed on ${failures.join('; ')}`, Code.Unavailable);
  }
  return create(FlushStorageNodesResponseSchema, { nodes: live.map((n) => n.id) });
}
