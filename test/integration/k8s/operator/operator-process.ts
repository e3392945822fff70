/**
 * `kafscale operator` as a child process (from source, through tsx), against the test's
 * API server: short lease and resync so that takeovers and resyncs fit in a test.
 */
import { kafscaleSourceArgs } from '../../../fixtures/kafscale-source.js';
import { spawnManaged, waitUntil, type ManagedProcess } from '../../../fixtures/processes.js';
import { REPO } from '../k8s-tools.js';

export const LEASE_NAMESPACE = 'kafscale-system';
export const LEASE_SECONDS = 3;

export async function startOperatorProcess(
  kubeconfig: string,
  identity: string,
): Promise<ManagedProcess> {
  const proc = spawnManaged(process.execPath, kafscaleSourceArgs(['operator']), {
    name: `operator-${identity}`,
    cwd: REPO,
    env: {
      ...process.env,
      KAFSCALE_KUBECONFIG: kubeconfig,
      KAFSCALE_OPERATOR_NAMESPACE: LEASE_NAMESPACE,
      KAFSCALE_OPERATOR_ID: identity,
      KAFSCALE_OPERATOR_LEASE_SECONDS: String(LEASE_SECONDS),
      KAFSCALE_OPERATOR_RESYNC_SECONDS: '4',
      KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
      KAFSCALE_LOG_LEVEL: 'info',
    },
  });
  await waitUntil(() => proc.outputTail().includes(`kafscale operator: operator ${identity}`), {
    what: `operator ${identity} to start`,
    timeoutMs: 30_000,
    abortIf: () => proc.exitStatus(),
    details: () => proc.outputTail(),
  });
  return proc;
}
