/**
 * The console: its HTTP server over an AdminService client and the broker metrics
 * endpoints. `kafscale console` gives it a gRPC client of KAFSCALE_CONTROLPLANE_URL;
 * `kafscale dev` an in-process one.
 */
import type { HostPort } from '../../lib/config/parsers.js';
import type { Logger } from '../../lib/log/logger.js';
import type { AdminClient } from './api/admin-client.js';
import { startConsoleServer, type ConsoleServer } from './console-server.js';
import { MetricsSampler } from './metrics/metrics-sampler.js';

export interface ConsoleOptions {
  readonly listen: HostPort;
  readonly admin: AdminClient;
  /** Prometheus endpoints of the broker processes; empty: live figures are unavailable. */
  readonly metricsUrls: readonly string[];
  readonly adminToken: string | undefined;
  readonly version: string;
  readonly log: Logger;
}

export function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  return startConsoleServer({
    listen: options.listen,
    admin: options.admin,
    metrics: new MetricsSampler({ urls: options.metricsUrls }),
    adminToken: options.adminToken,
    version: options.version,
    log: options.log,
  });
}
