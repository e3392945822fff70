/**
 * `kafscale console`: the web console on KAFSCALE_CONSOLE_ADDR, reading the controlplane's
 * AdminService at KAFSCALE_CONTROLPLANE_URL and the Prometheus endpoints named by
 * KAFSCALE_CONSOLE_BROKER_METRICS_URL. It keeps no state of its own.
 */
import { createClient } from '@connectrpc/connect';
import { startConsole } from '../../../console/src/console.js';
import type { KafscaleConfig } from '../../config/config.js';
import { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { grpcTransport } from '../../grpc/service-transport.js';
import type { Logger } from '../../log/logger.js';
import { VERSION } from '../version.js';
import type { RunningService } from './running-service.js';

export async function runConsole(config: KafscaleConfig, log: Logger): Promise<RunningService> {
  const server = await startConsole({
    listen: config.console.addr,
    admin: createClient(AdminService, grpcTransport(config.controlplaneUrl)),
    metricsUrls: config.console.brokerMetricsUrls,
    adminToken: config.console.adminToken,
    version: VERSION,
    log,
  });
  const metrics =
    config.console.brokerMetricsUrls.length === 0
      ? 'no broker metrics (KAFSCALE_CONSOLE_BROKER_METRICS_URL unset: live figures unavailable)'
      : `broker metrics from ${config.console.brokerMetricsUrls.join(', ')}`;
  const actions = config.console.adminToken === undefined ? 'read-only' : 'admin actions enabled';
  return {
    description:
      `console on ${server.url} (controlplane ${config.controlplaneUrl}, ${metrics}, ` +
      `${actions})`,
    stop: () => server.close(),
  };
}
