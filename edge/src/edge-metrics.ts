/**
 * The edge's metrics, declared once per injected registry, fed by the connection observer
 * (ConnectionLimits.observer):
 * - kafscale_kafka_requests_total{api, version}: api is the handler's name (Produce, Fetch...);
 *   version is the request's version when the handler serves it, else `unsupported`
 *   (an ApiVersions request at a version we do not know), so the label stays bounded
 * - kafscale_kafka_request_errors_total{api}: requests answered with an error or not at all
 *   (handler failed, response could not be encoded, UNSUPPORTED_VERSION)
 * - kafscale_kafka_request_duration_seconds{api}: decode to response queued
 * - kafscale_kafka_requests_inflight, kafscale_kafka_connections: gauges
 * - kafscale_kafka_connections_opened_total
 * - kafscale_kafka_received_bytes_total{api}, kafscale_kafka_sent_bytes_total{api}: request
 *   and response frames, size prefix included
 */
import type { Registry } from 'prom-client';
import {
  LATENCY_BUCKETS,
  counter,
  gauge,
  histogram,
  oncePerRegistry,
} from '../../lib/metrics/define.js';
import type { HandlerRegistry } from './handlers/handler-registry.js';
import type { ConnectionObserver } from './server/kafka-connection.js';

const edgeMetricSet = oncePerRegistry((registry: Registry) => ({
  requests: counter(registry, {
    name: 'kafscale_kafka_requests_total',
    help: 'Kafka requests by API and version (`unsupported` for a version no handler serves).',
    labelNames: ['api', 'version'],
  }),
  errors: counter(registry, {
    name: 'kafscale_kafka_request_errors_total',
    help: 'Kafka requests that failed (handler or encoding error, UNSUPPORTED_VERSION answer).',
    labelNames: ['api'],
  }),
  duration: histogram(registry, {
    name: 'kafscale_kafka_request_duration_seconds',
    help: 'Kafka request latency by API, from decode to the response being queued.',
    labelNames: ['api'],
    buckets: LATENCY_BUCKETS,
  }),
  inflight: gauge(registry, {
    name: 'kafscale_kafka_requests_inflight',
    help: 'Kafka requests decoded and not yet answered.',
  }),
  connections: gauge(registry, {
    name: 'kafscale_kafka_connections',
    help: 'Open Kafka client connections.',
  }),
  connectionsOpened: counter(registry, {
    name: 'kafscale_kafka_connections_opened_total',
    help: 'Kafka client connections accepted.',
  }),
  received: counter(registry, {
    name: 'kafscale_kafka_received_bytes_total',
    help: 'Bytes of Kafka request frames by API.',
    labelNames: ['api'],
  }),
  sent: counter(registry, {
    name: 'kafscale_kafka_sent_bytes_total',
    help: 'Bytes of Kafka response frames by API.',
    labelNames: ['api'],
  }),
}));

/**
 * The observer to pass as ConnectionLimits.observer. `handlers` names the APIs and bounds
 * the version label; several observers on one registry share its metrics.
 */
export function edgeMetrics(registry: Registry, handlers: HandlerRegistry): ConnectionObserver {
  const m = edgeMetricSet(registry);
  const api = (apiKey: number) => handlers.get(apiKey)?.api.name ?? 'unknown';
  const version = (apiKey: number, v: number) => {
    const h = handlers.get(apiKey);
    return h !== undefined && v >= h.minVersion && v <= h.maxVersion ? String(v) : 'unsupported';
  };
  return {
    requestStarted(apiKey, v, bytes) {
      const name = api(apiKey);
      m.requests.inc({ api: name, version: version(apiKey, v) });
      m.received.inc({ api: name }, bytes);
      m.inflight.inc();
    },
    requestFinished(apiKey, _v, ms, responseBytes, ok) {
      const name = api(apiKey);
      m.inflight.dec();
      m.duration.observe({ api: name }, ms / 1000);
      m.sent.inc({ api: name }, responseBytes);
      if (!ok) m.errors.inc({ api: name });
    },
    connectionOpened() {
      m.connections.inc();
      m.connectionsOpened.inc();
    },
    connectionClosed() {
      m.connections.dec();
    },
  };
}
