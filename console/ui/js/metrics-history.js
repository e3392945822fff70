// The live figures as the console's pages sampled them: one point per refresh, the last
// ten minutes, kept while the console is open (charts start empty on a fresh load).

const KEEP_MS = 10 * 60_000;
const points = [];

/** Adds a reading of /ui/api/metrics. */
export function record(metrics) {
  points.push({
    t: metrics.takenAt,
    produceRps: metrics.throughput.produceRps,
    fetchRps: metrics.throughput.fetchRps,
    s3P50: metrics.objectStore.latency.p50Seconds,
    s3P99: metrics.objectStore.latency.p99Seconds,
    etcdP50: metrics.metadataStore.txnLatency.p50Seconds,
    etcdP99: metrics.metadataStore.txnLatency.p99Seconds,
  });
  const cutoff = metrics.takenAt - KEEP_MS;
  while (points.length > 0 && points[0].t < cutoff) points.shift();
}

/** The points of one figure: [{ t, v }]. */
export function series(key) {
  return points.map((p) => ({ t: p.t, v: p[key] }));
}
