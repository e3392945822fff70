/**
 * The broker a compatibility test runs against: the real stack by default
 * (cluster-broker.ts), or the embedded `kafscale dev` with KAFSCALE_COMPAT_STACK=dev, which
 * is quicker when debugging a client.
 */
import { startClusterBroker } from './cluster-broker.js';
import { startDevBroker, type DevBroker, type DevBrokerOptions } from './dev-broker.js';

export type { DevBroker as CompatBroker } from './dev-broker.js';

export function startCompatBroker(options: DevBrokerOptions = {}): Promise<DevBroker> {
  return process.env.KAFSCALE_COMPAT_STACK === 'dev'
    ? startDevBroker(options)
    : startClusterBroker(options);
}
