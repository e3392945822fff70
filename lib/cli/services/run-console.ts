/**
 * `kafscale console`: the web console on KAFSCALE_CONSOLE_ADDR, reading the controlplane's
 * AdminService at KAFSCALE_CONTROLPLANE_URL and the Prometheus endpoints named by
 * KAFSCALE_CONSOLE_BROKER_METRICS_URL, with its own /metrics, /healthz and /readyz (ready
 * while the controlplane answers) on KAFSCALE_METRICS_ADDR. It keeps no state of its own.
 */
import { createClient } from '@connectrpc/connect';
import { startConsole } from '../../../console/src/console.js';
import { consoleMetrics } from '../../../console/src/console-metrics.js';
import { probeControlplane } from '../../../console/src/controlplane-probe.js';
import type { KafscaleConfig } from '../../config/config.js';
import { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import type { Logger } from '../../log/logger.js';
import { VERSION } from '../version.js';
import { startObservability } from './observability.js';
import type { RunningService } from './running-service.js';
import { openServiceSecurity } from './service-security.js';

/** How often the console checks that the controlplane answers, for /readyz. */
const PROBE_INTERVAL_MS = 5000;
const PROBE_TIMEOUT_MS = 3000;

export async function runConsole(config: KafscaleConfig, log: Logger): Promise<RunningService> {
  const obs = await startObservability(config, log);
  const security = await openServiceSecurity(config, log);
  const admin = createClient(AdminService, security.adminDialer.transport(config.controlplaneUrl));
  const server = await startConsole({
    listen: config.console.addr,
    admin,
    registry: obs.registry,
    metricsUrls: config.console.brokerMetricsUrls,
    adminToken: config.console.adminToken,
    version: VERSION,
    log,
  });
  const metrics = consoleMetrics(obs.registry);
  const probe = probeControlplane({
    admin,
    intervalMs: PROBE_INTERVAL_MS,
    timeoutMs: PROBE_TIMEOUT_MS,
    onResult: (state) => {
      obs.setReady(state);
      metrics.controlplaneUp(state === true);
    },
  });
  const scraped =
    config.console.brokerMetricsUrls.length === 0
      ? 'no broker metrics (KAFSCALE_CONSOLE_BROKER_METRICS_URL unset: live figures unavailable)'
      : `broker metrics from ${config.console.brokerMetricsUrls.join(', ')}`;
  const actions = config.console.adminToken === undefined ? 'read-only' : 'admin actions enabled';
  return {
    description:
      `console on ${server.url} (controlplane ${config.controlplaneUrl}, ` +
      `own metrics on port ${obs.metricsPort}, ${scraped}, ${actions})`,
    stop: async () => {
      probe.stop();
      security.stop();
      await server.close();
      await obs.close();
    },
  };
}
