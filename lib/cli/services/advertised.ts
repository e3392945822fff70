/** The address other processes reach a service at: KAFSCALE_ADVERTISED_ADDR, or where it listens. */
import type { KafscaleConfig } from '../../config/config.js';
import type { HostPort } from '../../config/parsers.js';

export function advertisedFor(
  config: KafscaleConfig,
  listen: HostPort,
  boundPort: number,
): HostPort {
  if (config.explicitAdvertisedAddr !== undefined) return config.explicitAdvertisedAddr;
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  return { host: wildcard ? '127.0.0.1' : listen.host, port: boundPort };
}
