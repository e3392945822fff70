/**
 * Shared by the config handler tests: a fake ControlPlaneService over connect's in-memory
 * router that records what it is asked (and can be made to fail), and an edge whose view
 * knows edges 1 (itself) and 2.
 */
import { Code, ConnectError, createClient, createRouterTransport } from '@connectrpc/connect';
import type { ServiceImpl } from '@connectrpc/connect';
import { StaticClusterView, type AdvertisedBroker } from '../../../../edge/src/cluster-view.js';
import type { ControlPlaneClient } from '../../../../edge/src/routing/controlplane-client.js';
import { ControlPlaneService } from '../../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';

export class FakeControlplane {
  readonly calls: { method: string; message: unknown }[] = [];
  /** When set, every call fails with UNAVAILABLE (after being recorded). */
  failing = false;
  readonly client: ControlPlaneClient;

  constructor(impl: Partial<ServiceImpl<typeof ControlPlaneService>>) {
    this.client = createClient(
      ControlPlaneService,
      createRouterTransport((r) => r.service(ControlPlaneService, impl), {
        router: {
          interceptors: [
            (next) => async (req) => {
              this.calls.push({ method: req.method.name, message: req.message });
              if (this.failing) throw new ConnectError('controlplane down', Code.Unavailable);
              return next(req);
            },
          ],
        },
      }),
    );
  }

  messages<T>(method: string): T[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.message as T);
  }
}

/** A view whose live edges are 1 (this one) and 2. */
export class TwoEdgeView extends StaticClusterView {
  constructor() {
    super('c', { nodeId: 1, host: 'edge-1', port: 9092, rack: null });
  }

  override edges(): readonly AdvertisedBroker[] {
    return [this.self(), { nodeId: 2, host: 'edge-2', port: 9092, rack: null }];
  }
}
