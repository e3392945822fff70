/**
 * The edge's client quota metrics, declared once per injected registry:
 * - kafscale_client_quota_throttle_seconds{quota}: how long clients were throttled, per
 *   throttled request, by the quota they exceeded (`produce`: producer_byte_rate, `fetch`:
 *   consumer_byte_rate, `request`: request_percentage). Its _count is the number of
 *   throttled requests, its _sum the total time clients were told to wait. No label names
 *   the user or the client id (unbounded cardinality): the edge's log says who, at debug.
 */
import type { Registry } from 'prom-client';
import { histogram } from '../../../lib/metrics/define.js';
import type { QuotaKind } from './client-quotas.js';

const THROTTLE_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function quotaMetrics(registry: Registry): (kind: QuotaKind, ms: number) => void {
  const throttle = histogram(registry, {
    name: 'kafscale_client_quota_throttle_seconds',
    help: 'Throttle time given to clients over a client quota, per throttled request, by quota (produce, fetch, request).',
    labelNames: ['quota'],
    buckets: THROTTLE_BUCKETS,
  });
  return (kind, ms) => {
    throttle.observe({ quota: kind }, ms / 1000);
  };
}
