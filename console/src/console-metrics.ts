/**
 * The console's own metrics, declared once per injected registry:
 * - kafscale_console_http_requests_total{route,code}: requests answered, by kind of route
 *   (api, page, other) and HTTP status code
 * - kafscale_console_http_request_duration_seconds{route}: time to answer them
 * - kafscale_console_controlplane_up: 1 while the controlplane's AdminService answered the
 *   last readiness probe (controlplane-probe.ts), else 0
 *
 * `kafscale console` serves them with /healthz and /readyz on KAFSCALE_METRICS_ADDR; under
 * `kafscale dev` they share the dev process's registry.
 */
import type { Registry } from 'prom-client';
import {
  counter,
  gauge,
  histogram,
  LATENCY_BUCKETS,
  oncePerRegistry,
} from '../../lib/metrics/define.js';

export type ConsoleRoute = 'api' | 'page' | 'other';

export interface ConsoleMetrics {
  answered(route: ConsoleRoute, status: number, seconds: number): void;
  controlplaneUp(up: boolean): void;
}

export const consoleMetrics = oncePerRegistry((registry: Registry): ConsoleMetrics => {
  const requests = counter(registry, {
    name: 'kafscale_console_http_requests_total',
    help: 'Console HTTP requests answered, by kind of route (api, page, other) and status code.',
    labelNames: ['route', 'code'],
  });
  const duration = histogram(registry, {
    name: 'kafscale_console_http_request_duration_seconds',
    help: 'Time the console took to answer an HTTP request, by kind of route.',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
  });
  const up = gauge(registry, {
    name: 'kafscale_console_controlplane_up',
    help: "Whether the controlplane's AdminService answered the console's last probe (1) or not (0).",
  });
  up.set(0);
  return {
    answered(route, status, seconds) {
      requests.inc({ route, code: String(status) });
      duration.observe({ route }, seconds);
    },
    controlplaneUp(isUp) {
      up.set(isUp ? 1 : 0);
    },
  };
});
