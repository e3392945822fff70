/**
 * The broker a compatibility test runs against: the real stack by default
 * (cluster-broker.ts), or the embedded `kafscale dev` with KAFSCALE_COMPAT_STACK=dev, which
 * is quicker when debugging a client.
 */
import { writeFileSync } from 'node:fs';
import { startClusterBroker } from './cluster-broker.js';
import { startDevBroker, type DevBroker, type DevBrokerOptions } from './dev-broker.js';

export type { DevBroker as CompatBroker } from './dev-broker.js';

export function startCompatBroker(options: DevBrokerOptions = {}): Promise<DevBroker> {
  return process.env.KAFSCALE_COMPAT_STACK === 'dev'
    ? startDevBroker(options)
    : startClusterBroker(options);
}

/**
 * Stops the broker and, for the real stack (whose helper keeps no log file), writes its
 * output to KAFSCALE_COMPAT_BROKER_LOG when that is set, as dev-broker.ts does for `dev`.
 */
export async function stopCompatBroker(broker: DevBroker): Promise<void> {
  await broker.stop();
  const logPath = process.env.KAFSCALE_COMPAT_BROKER_LOG;
  if (process.env.KAFSCALE_COMPAT_STACK !== 'dev' && logPath !== undefined && logPath !== '')
    writeFileSync(logPath, broker.output());
}
