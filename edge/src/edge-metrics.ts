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
 * - kafscale_kafka_response_errors_total{api, error}: Kafka error codes in responses, by name,
 *   one per entry that carries one (a partition, a topic, a group, the whole response)
 * - kafscale_produce_rps, kafscale_fetch_rps: records per second produced (accepted, or sent
 *   with acks=0) and fetched, over a sliding window of KAFSCALE_THROUGHPUT_WINDOW_SEC
 *   (lib/metrics/sliding-rate.ts); summed over the observers on one registry
 */
import type { Registry } from 'prom-client';
import { DEFAULT_THROUGHPUT_WINDOW_SEC } from '../../lib/config/config.js';
import { errorInfo } from '../../lib/kafka/error-codes.js';
import {
  fetchApi,
  produceApi,
  type FetchResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../../lib/kafka/gen/index.js';
import {
  LATENCY_BUCKETS,
  counter,
  gauge,
  histogram,
  oncePerRegistry,
} from '../../lib/metrics/define.js';
import { SlidingRate, type Clock } from '../../lib/metrics/sliding-rate.js';
import type { HandlerRegistry } from './handlers/handler-registry.js';
import { fetchedRecords, producedRecords } from './records-served.js';
import { responseErrorCodes } from './response-error-codes.js';
import type { ConnectionObserver } from './server/kafka-connection.js';

interface Throughput {
  readonly produced: SlidingRate;
  readonly fetched: SlidingRate;
}

const WINDOW_HELP =
  'over the last KAFSCALE_THROUGHPUT_WINDOW_SEC seconds (until the edge has run that long, over the time since it started)';

const requestMetrics = (registry: Registry) => ({
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
    help: 'Kafka request latency by API and version, from decode to the response being queued.',
    labelNames: ['api', 'version'],
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
  responseErrors: counter(registry, {
    name: 'kafscale_kafka_response_errors_total',
    help: 'Kafka error codes in responses by API and error name, one per entry (partition, topic, group...) that carries one.',
    labelNames: ['api', 'error'],
  }),
});

/** The records-per-second gauges, read at scrape time from every observer's meters. */
function throughputGauges(registry: Registry, meters: ReadonlySet<Throughput>): void {
  const sum = (rate: (t: Throughput) => SlidingRate) => {
    let n = 0;
    for (const t of meters) n += rate(t).perSecond();
    return n;
  };
  gauge(registry, {
    name: 'kafscale_produce_rps',
    help: `Records per second produced (accepted by Produce, or sent with acks=0), ${WINDOW_HELP}.`,
    collect() {
      this.set(sum((t) => t.produced));
    },
  });
  gauge(registry, {
    name: 'kafscale_fetch_rps',
    help: `Records per second returned by Fetch, ${WINDOW_HELP}.`,
    collect() {
      this.set(sum((t) => t.fetched));
    },
  });
}

/** Request bytes in flight, read at scrape time from every observer's edge budget. */
function inflightBytesGauge(registry: Registry, budgets: ReadonlySet<InflightBytes>): void {
  gauge(registry, {
    name: 'kafscale_kafka_inflight_bytes',
    help: 'Bytes of Kafka requests decoded and not yet answered, over all connections (bounded by KAFSCALE_EDGE_INFLIGHT_BYTES).',
    collect() {
      let n = 0;
      for (const b of budgets) n += b.bytes;
      this.set(n);
    },
  });
}

const edgeMetricSet = oncePerRegistry((registry: Registry) => {
  const meters = new Set<Throughput>();
  const budgets = new Set<InflightBytes>();
  throughputGauges(registry, meters);
  inflightBytesGauge(registry, budgets);
  return { ...requestMetrics(registry), meters, budgets };
});

/** What holds the edge's in-flight request bytes (the edge's InflightBudget). */
export interface InflightBytes {
  readonly bytes: number;
}

export interface EdgeMetricsOptions {
  /** KAFSCALE_THROUGHPUT_WINDOW_SEC (default 60). */
  readonly throughputWindowSec?: number;
  /** Milliseconds, for the records-per-second windows (tests pass their own). */
  readonly now?: Clock;
  /** The edge-wide in-flight budget, reported as kafscale_kafka_inflight_bytes. */
  readonly inflight?: InflightBytes;
}

/**
 * The observer to pass as ConnectionLimits.observer. `handlers` names the APIs and bounds
 * the version label; several observers on one registry share its metrics.
 */
export function edgeMetrics(
  registry: Registry,
  handlers: HandlerRegistry,
  options: EdgeMetricsOptions = {},
): ConnectionObserver {
  const m = edgeMetricSet(registry);
  const window = options.throughputWindowSec ?? DEFAULT_THROUGHPUT_WINDOW_SEC;
  const throughput: Throughput = {
    produced: new SlidingRate(window, options.now),
    fetched: new SlidingRate(window, options.now),
  };
  m.meters.add(throughput);
  if (options.inflight !== undefined) m.budgets.add(options.inflight);
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
    requestFinished(apiKey, v, ms, responseBytes, ok) {
      const name = api(apiKey);
      m.inflight.dec();
      m.duration.observe({ api: name, version: version(apiKey, v) }, ms / 1000);
      m.sent.inc({ api: name }, responseBytes);
      if (!ok) m.errors.inc({ api: name });
    },
    requestAnswered(apiKey, request, response) {
      if (apiKey === produceApi.apiKey)
        throughput.produced.add(
          producedRecords(request as ProduceRequest, response as ProduceResponse | null),
        );
      else if (apiKey === fetchApi.apiKey && response !== null)
        throughput.fetched.add(fetchedRecords(response as FetchResponse));
      if (response === null) return;
      const name = api(apiKey);
      for (const code of responseErrorCodes(response))
        m.responseErrors.inc({ api: name, error: errorInfo(code).name });
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
