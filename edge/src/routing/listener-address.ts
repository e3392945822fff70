/**
 * Where a client reaches an edge: the address of the listener it connected through
 * (KAFSCALE_ADVERTISED_LISTENERS), so a client inside on PLAINTEXT is told the inside
 * addresses and one outside on SASL_SSL the outside ones. An edge that does not have that
 * listener (during a rolling change of listeners) is given at its first listener's address,
 * so every listener sees the same set of brokers and the same partition leaders.
 */
import type { AdvertisedBroker } from '../cluster-view.js';

export function addressOn(
  broker: AdvertisedBroker,
  listener: string | undefined,
): AdvertisedBroker {
  if (listener === undefined) return broker;
  const found = broker.listeners?.find((l) => l.name === listener);
  return found === undefined ? broker : { ...broker, host: found.host, port: found.port };
}
