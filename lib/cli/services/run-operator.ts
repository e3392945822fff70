/**
 * `kafscale operator`: the Kubernetes operator (lib/operator/), with /healthz, /readyz and
 * /metrics on KAFSCALE_METRICS_ADDR like every Kafscale process. Replicas elect a leader
 * through a Lease; one that loses the Lease exits, and Kubernetes starts it again as a
 * standby.
 */
import type { KafscaleConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { kubeClients } from '../../operator/kube/kube-clients.js';
import { startOperator } from '../../operator/operator.js';
import { startObservability } from './observability.js';
import type { RunningService } from './running-service.js';
import { openServiceSecurity } from './service-security.js';

export async function runOperator(config: KafscaleConfig, log: Logger): Promise<RunningService> {
  const observability = await startObservability(config, log);
  const kube = kubeClients(config.operator.kubeconfig);
  const security = await openServiceSecurity(config, log);
  const operator = startOperator({
    kube,
    config: config.operator,
    controlplaneUrl: config.controlplaneUrl,
    dialer: security.adminDialer,
    log,
    onLeadershipLost: () => {
      process.exit(1);
    },
  });
  observability.setReady(true);
  const server = kube.config.getCurrentCluster()?.server ?? '?';
  return {
    description:
      `operator ${config.operator.identity} on ${server}, lease ` +
      `${config.operator.namespace ?? kube.namespace}/${config.operator.leaseName}, ` +
      `watching ${config.operator.watchNamespace ?? 'all namespaces'}, ` +
      `metrics on port ${observability.metricsPort}`,
    stop: async () => {
      await operator.stop();
      security.stop();
      await observability.close();
    },
  };
}
