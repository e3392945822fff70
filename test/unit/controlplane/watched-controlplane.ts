/**
 * A controlplane in process over its own in-memory store, a client of its ControlPlaneService
 * through connect's in-memory router, and an edge's cluster view watching it, started and
 * ready: for tests of what reaches the edges through WatchMetadata.
 */
import { createClient, createRouterTransport, type Client } from '@connectrpc/connect';
import { pino } from 'pino';
import { startControlplane } from '../../../controlplane/src/controlplane.js';
import { WatchedClusterView } from '../../../edge/src/metadata/watched-cluster-view.js';
import { ControlPlaneService } from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { MemoryMetadataStore } from '../../../lib/stores/memory/memory-metadata-store.js';

export interface WatchedControlplane {
  readonly client: Client<typeof ControlPlaneService>;
  readonly edgeView: WatchedClusterView;
  readonly stop: () => Promise<void>;
}

export async function startWatchedControlplane(): Promise<WatchedControlplane> {
  const store = new MemoryMetadataStore();
  const cp = await startControlplane({
    replicaId: 'cp-1',
    metadata: store,
    clusterId: 'c',
    defaultPartitions: 1,
    leaseTtlSeconds: 5,
    assignDebounceMs: 5,
  });
  const client = createClient(
    ControlPlaneService,
    createRouterTransport((r) => r.service(ControlPlaneService, cp.service)),
  );
  const edgeView = new WatchedClusterView(
    { nodeId: 0, host: 'localhost', port: 9092, rack: null },
    client,
    'edge-0',
    pino({ level: 'silent' }),
  );
  edgeView.start();
  await edgeView.ready;
  return {
    client,
    edgeView,
    stop: async () => {
      edgeView.stop();
      await cp.stop();
      await store.close();
    },
  };
}
