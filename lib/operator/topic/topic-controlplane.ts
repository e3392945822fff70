/**
 * The controlplane a KafscaleTopic's topic lives in, as an AdminService client: the spec's
 * URL, else the controlplane Service of the KafscaleCluster it names (same namespace, the
 * cluster's controlplane port), else the operator's KAFSCALE_CONTROLPLANE_URL. Clients
 * are kept per URL.
 */
import { createClient, type Client } from '@connectrpc/connect';
import { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import type { GrpcDialer } from '../../grpc/grpc-dialer.js';
import { CLUSTER, GROUP, VERSION } from '../api-groups.js';
import { clusterSettings } from '../cluster/cluster-spec.js';
import { componentName } from '../cluster/object-names.js';
import type { KubeClients } from '../kube/kube-clients.js';
import { isNotFound } from '../kube/kube-errors.js';
import type { TopicSpec } from './topic-spec.js';

export type AdminClient = Client<typeof AdminService>;

export class ClusterNotFoundError extends Error {}

export class TopicControlplanes {
  private readonly clients = new Map<string, AdminClient>();

  constructor(
    private readonly kube: KubeClients,
    private readonly defaultUrl: string,
    private readonly dialer: GrpcDialer,
  ) {}

  async urlFor(spec: TopicSpec, namespace: string): Promise<string> {
    if (spec.controlplaneUrl !== undefined) return spec.controlplaneUrl;
    if (spec.clusterRef === undefined) return this.defaultUrl;
    let cluster: { spec?: unknown };
    try {
      cluster = (await this.kube.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: CLUSTER.plural,
        name: spec.clusterRef,
      })) as { spec?: unknown };
    } catch (e) {
      if (isNotFound(e)) {
        throw new ClusterNotFoundError(
          `spec.clusterRef.name: no KafscaleCluster '${spec.clusterRef}' in namespace '${namespace}'`,
        );
      }
      throw e;
    }
    const port = clusterSettings(cluster.spec).controlplane.port;
    return `http://${componentName(spec.clusterRef, 'controlplane')}.${namespace}.svc:${port}`;
  }

  client(url: string): AdminClient {
    let c = this.clients.get(url);
    if (c === undefined) {
      c = createClient(AdminService, this.dialer.transport(url));
      this.clients.set(url, c);
    }
    return c;
  }
}
