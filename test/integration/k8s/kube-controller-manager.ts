/**
 * A real kube-controller-manager next to the test's kube-apiserver (the binary
 * scripts/test-deps.sh builds with it): Deployments get ReplicaSets and Pods (which stay
 * Pending: no scheduler, no kubelet), StatefulSets get Pods, and the garbage collector
 * deletes what an owner reference ties to a deleted owner. Only the controllers the
 * operator tests need run, without leader election, serving nothing.
 */
import { join } from 'node:path';
import { makeTempDir, removeDir, spawnManaged, waitUntil } from '../../fixtures/processes.js';
import { tool } from './k8s-tools.js';
import type { KubeApiserver } from './kube-apiserver.js';

export interface KubeControllerManager {
  stop(): Promise<void>;
}

const CONTROLLERS = [
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'disruption-controller',
];

export async function startKubeControllerManager(
  api: KubeApiserver,
): Promise<KubeControllerManager> {
  const dir = makeTempDir('kube-controller-manager');
  const proc = spawnManaged(
    tool('kube-controller-manager'),
    [
      `--kubeconfig=${api.kubeconfig}`,
      `--authentication-kubeconfig=${api.kubeconfig}`,
      `--authorization-kubeconfig=${api.kubeconfig}`,
      '--leader-elect=false',
      `--controllers=${CONTROLLERS.join(',')}`,
      // No serving endpoint: nothing here scrapes or probes it.
      '--secure-port=0',
      `--cert-dir=${join(dir, 'certs')}`,
      '--concurrent-gc-syncs=5',
    ],
    { name: 'kube-controller-manager' },
  );
  // Started once its informers have synced and the controllers run.
  await waitUntil(() => /Started controller|Starting controller/.test(proc.outputTail()), {
    what: 'kube-controller-manager to start its controllers',
    timeoutMs: 30_000,
    intervalMs: 100,
    abortIf: () => proc.exitStatus(),
    details: () => proc.outputTail(),
  });
  return {
    async stop() {
      await proc.stop(5000);
      removeDir(dir);
    },
  };
}
