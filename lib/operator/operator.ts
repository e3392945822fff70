/**
 * The operator: the replica holding the Lease watches KafscaleClusters and KafscaleTopics
 * and reconciles each key through the work queue; the others wait to take the Lease.
 * Each reconcile reads the resource fresh (a deleted one needs nothing more: its objects
 * are owned by it, and a topic's finalizer ran while it was being deleted).
 */
import type { GrpcDialer } from '../grpc/grpc-dialer.js';
import type { Logger } from '../log/logger.js';
import type { OperatorConfig } from '../config/config.js';
import { CLUSTER, GROUP, VERSION } from './api-groups.js';
import { reconcileCluster, type ReconcileResult } from './cluster/reconcile-cluster.js';
import type { KubeClients } from './kube/kube-clients.js';
import { isNotFound, kubeMessage } from './kube/kube-errors.js';
import type { KubeObject } from './kube/kube-object.js';
import { LeaderElector } from './leader-election.js';
import { reconcileTopic } from './topic/reconcile-topic.js';
import { TopicControlplanes } from './topic/topic-controlplane.js';
import { watchResources, type Watching } from './watch-resources.js';
import { WorkQueue } from './work-queue.js';

export interface Operator {
  readonly isLeader: () => boolean;
  stop(): Promise<void>;
}

export interface OperatorOptions {
  readonly kube: KubeClients;
  readonly config: OperatorConfig;
  /** Where KafscaleTopics without a controlplane of their own have their topics. */
  readonly controlplaneUrl: string;
  /** Reaches the AdminService (mutual TLS and the admin token when configured). */
  readonly dialer: GrpcDialer;
  readonly log: Logger;
  /** Called when leadership is lost: the process should exit (another replica leads). */
  readonly onLeadershipLost: () => void;
}

export function startOperator(o: OperatorOptions): Operator {
  const { kube, config, log } = o;
  const controlplanes = new TopicControlplanes(kube, o.controlplaneUrl, o.dialer);

  async function reconcile(key: string): Promise<ReconcileResult> {
    const [plural = '', namespace = '', name = ''] = key.split('/');
    let object: KubeObject;
    try {
      object = (await kube.custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural,
        name,
      })) as KubeObject;
    } catch (e) {
      if (isNotFound(e)) return { retry: false, summary: 'gone' };
      throw e;
    }
    const result =
      plural === CLUSTER.plural
        ? await reconcileCluster(kube, object)
        : await reconcileTopic(kube, controlplanes, object);
    log.info({ key, generation: object.metadata.generation, retry: result.retry }, result.summary);
    return result;
  }

  const queue = new WorkQueue(reconcile, (key, e) => {
    log.warn({ key, err: kubeMessage(e) }, 'reconcile failed; retrying');
  });
  let watching: Watching | undefined;
  const elector = new LeaderElector(kube, {
    namespace: config.namespace ?? kube.namespace,
    name: config.leaseName,
    identity: config.identity,
    durationSeconds: config.leaseDurationSeconds,
  });
  elector.start(
    () => {
      log.info({ identity: config.identity, lease: config.leaseName }, 'leading: reconciling');
      watching = watchResources(
        kube,
        config.watchNamespace,
        config.resyncSeconds * 1000,
        (key) => {
          queue.add(key);
        },
        (e) => {
          log.warn({ err: kubeMessage(e) }, 'watch failed; restarting it');
        },
      );
    },
    () => {
      log.error({ identity: config.identity }, 'lost the lease: stopping');
      watching?.stop();
      queue.stop();
      o.onLeadershipLost();
    },
    (e) => {
      log.warn({ err: kubeMessage(e) }, 'lease update failed');
    },
  );
  return {
    isLeader: () => elector.isLeader,
    async stop() {
      watching?.stop();
      queue.stop();
      await elector.stop();
    },
  };
}
