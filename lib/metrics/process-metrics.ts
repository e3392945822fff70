/**
 * prom-client's default process metrics (CPU, heap, RSS, event loop lag, GC, handles) on an
 * injected registry, named `kafscale_process_*` and `kafscale_nodejs_*`. Registered once per
 * registry: a second call on the same registry does nothing.
 */
import { collectDefaultMetrics, type Registry } from 'prom-client';

export const PROCESS_METRICS_PREFIX = 'kafscale_';

const registered = new WeakSet<Registry>();

export function registerProcessMetrics(registry: Registry): void {
  if (registered.has(registry)) return;
  registered.add(registry);
  collectDefaultMetrics({ register: registry, prefix: PROCESS_METRICS_PREFIX });
}
