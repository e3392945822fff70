/**
 * The addresses other processes reach a service at: its own (KAFSCALE_ADVERTISED_ADDR, or where
 * it listens) and its metrics endpoint's (KAFSCALE_METRICS_ADVERTISED_ADDR, or derived).
 */
import type { KafscaleConfig } from '../../config/config.js';
import type { HostPort } from '../../config/parsers.js';

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

export function advertisedFor(
  config: KafscaleConfig,
  listen: HostPort,
  boundPort: number,
): HostPort {
  if (config.explicitAdvertisedAddr !== undefined) return config.explicitAdvertisedAddr;
  return { host: isWildcard(listen.host) ? '127.0.0.1' : listen.host, port: boundPort };
}

/** host:port, with an IPv6 host in brackets. */
export function formatHostPort({ host, port }: HostPort): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * The metrics endpoint as host:port for the node's registration: the explicit setting, else
 * the metrics listener's host when it names one, else the service's advertised host.
 */
export function metricsAddressFor(
  config: KafscaleConfig,
  serviceHost: string,
  boundMetricsPort: number,
): string {
  if (config.metricsAdvertisedAddr !== undefined) {
    return formatHostPort(config.metricsAdvertisedAddr);
  }
  const listen = config.metricsAddr.host;
  return formatHostPort({
    host: isWildcard(listen) ? serviceHost : listen,
    port: boundMetricsPort,
  });
}
