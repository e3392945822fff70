/**
 * Kafscale's real stack on this machine, started by the test fixtures: etcd, MinIO, and a
 * controlplane, a storage node and an edge as separate processes. The fixtures tune the
 * services for fast tests (a 10 ms flush window, 2 s leases); the benchmark gives them
 * back their defaults (an empty value reads as unset). The storage node gets a fixed id so
 * that a restarted node takes its partitions back at once.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEtcd, type EtcdFixture } from '../../test/fixtures/etcd.js';
import {
  startService,
  type ClusterEnv,
  type ServiceKind,
  type ServiceProcess,
} from '../../test/fixtures/kafscale-cluster.js';
import { startMinio, type MinioFixture } from '../../test/fixtures/minio.js';
import type { LatencyModel } from '../../test/fixtures/s3-model/latency-model.js';
import {
  startS3LatencyProxy,
  type S3LatencyProxy,
} from '../../test/fixtures/s3-model/s3-latency-proxy.js';
import { waitUntil } from '../../test/fixtures/processes.js';
import { sample, scrape } from '../../test/support/scrape-metrics.js';
import { loadConfig } from '../../lib/config/config.js';
import { indexEntries, settleCompaction } from './compaction-settle.js';
import type { NamedPid } from './cpu-time.js';

/** The longest the cold read waits for compaction to settle before its restart. */
const SETTLE_TIMEOUT_MS = 60_000;

const DEFAULTS = {
  KAFSCALE_FLUSH_INTERVAL_MS: '',
  KAFSCALE_LEASE_TTL_SECONDS: '',
  KAFSCALE_STORAGE_NODE_ID: 'bench-storage-1',
};

export interface KafscaleStack {
  readonly bootstrap: string;
  /** The Kafscale services (current processes): their metrics ports are scraped for costs. */
  services(): readonly ServiceProcess[];
  /** Every process of the stack, etcd and MinIO included. */
  pids(): readonly NamedPid[];
  /** Stops the storage node and starts a new one; resolves when it owns its partitions again. */
  restartStorageNode(): Promise<void>;
  /**
   * Waits for the storage node's compaction to settle (compaction-settle.ts) and describes
   * how long that took and the index entries `topic` holds then.
   */
  settleCompaction(topic: string): Promise<string>;
  /** The output tails of the services, for a failure report. */
  outputTails(): string;
  /** Per service (a restarted one included): the distinct log records it printed, counted. */
  outputSummary(): string;
  stop(): Promise<void>;
}

/** The pid of this process's child whose command line mentions `arg` (a fixture's data dir). */
function childPidWithArg(arg: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(join('/proc', entry, 'status'), 'utf8');
      if (!new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status)) continue;
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
      if (cmdline.includes(arg)) return Number(entry);
    } catch {
      // The process went away while we looked.
    }
  }
  return -1;
}

/**
 * The distinct pino records (message, error type and message) in a service's output tail, with
 * counts and the first stack frames of each; other lines (Node's warnings) are only counted.
 */
export function summarizeLog(output: string): string {
  const distinct = new Map<string, { count: number; stack: string }>();
  let other = 0;
  for (const line of output.split('\n')) {
    if (line.trim() === '' || line.startsWith('kafscale ')) continue;
    let record: { msg?: unknown; err?: { type?: unknown; message?: unknown; stack?: unknown } };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      other++;
      continue;
    }
    const err = record.err;
    const key = [record.msg, err?.type, err?.message]
      .filter((v) => typeof v === 'string')
      .join(': ');
    const stack = typeof err?.stack === 'string' ? err.stack : '';
    const seen = distinct.get(key) ?? { count: 0, stack };
    distinct.set(key, { count: seen.count + 1, stack: seen.stack });
  }
  const lines = [...distinct].map(([key, { count, stack }]) => {
    const frames = stack
      .split('\n')
      .slice(1, 4)
      .map((f) => `\n        ${f.trim()}`);
    return `\n    ${count} x ${key}${frames.join('')}`;
  });
  return `${distinct.size === 0 ? 'no log records' : `${distinct.size} distinct log records`}, ${other} other lines${lines.join('')}`;
}

async function ownedPartitions(s: ServiceProcess): Promise<number> {
  return sample(await scrape(s.metricsPort), 'kafscale_storage_owned_partitions') ?? 0;
}

/**
 * `nodeArgs`: Node options for every service (the profiler's `--cpu-prof`, for one).
 * `s3Model`: the services reach MinIO through the S3 latency proxy with this model.
 * `settings`: `KAFSCALE_*` variables for every service, over the benchmark's defaults.
 */
export async function startKafscaleStack(
  nodeArgs: readonly string[] = [],
  s3Model?: LatencyModel,
  settings: Readonly<Record<string, string>> = {},
): Promise<KafscaleStack> {
  let etcd: EtcdFixture | undefined;
  let minio: MinioFixture | undefined;
  let proxy: S3LatencyProxy | undefined;
  const services = new Map<ServiceKind, ServiceProcess>();
  const retired: ServiceProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all([...services.values()].map((s) => s.process.stop()));
    await proxy?.stop();
    await Promise.all([etcd?.stop(), minio?.stop()]);
  };
  try {
    [etcd, minio] = await Promise.all([startEtcd({ name: 'kafscale-bench' }), startMinio()]);
    await minio.createBucket('kafscale');
    if (s3Model !== undefined)
      proxy = await startS3LatencyProxy({ upstream: minio.endpoint, model: s3Model });
    const extra = {
      ...DEFAULTS,
      ...settings,
      ...(proxy === undefined ? {} : { KAFSCALE_S3_ENDPOINT: proxy.endpoint }),
    };
    const env: ClusterEnv = { etcd, minio, bucket: 'kafscale', extra, nodeArgs };
    // `etcd` is reassignable, so the methods below take this settled reference.
    const etcdFixture = etcd;
    for (const kind of ['controlplane', 'storage-node', 'edge'] as const)
      services.set(kind, await startService(kind, env));
    const etcdPid = childPidWithArg(etcd.dataDir);
    const minioPid = childPidWithArg(minio.dataDir);
    const get = (kind: ServiceKind): ServiceProcess => {
      const s = services.get(kind);
      if (s === undefined) throw new Error(`no ${kind}`);
      return s;
    };
    return {
      bootstrap: `127.0.0.1:${get('edge').port}`,
      services: () => [...services.values()],
      pids: () => [
        ...[...services.values()].map((s) => ({ name: s.kind, pid: s.process.pid })),
        { name: 'etcd', pid: etcdPid },
        { name: 'minio', pid: minioPid },
      ],
      async settleCompaction(topic) {
        const intervalMs = loadConfig(extra).storage.compactionIntervalMs;
        const settled = await settleCompaction(
          get('storage-node').metricsPort,
          intervalMs,
          SETTLE_TIMEOUT_MS,
        );
        const index = await indexEntries(etcdFixture, topic);
        return (
          `${settled.settled ? 'compaction settled' : 'compaction still running'} after ` +
          `${(settled.waitedMs / 1000).toFixed(0)} s (${settled.merges} merges meanwhile); ` +
          `${topic} has ${index.entries} index entries in ${index.partitions} partitions`
        );
      },
      async restartStorageNode() {
        const old = get('storage-node');
        const owned = await ownedPartitions(old);
        await old.process.stop();
        retired.push(old);
        const fresh = await startService('storage-node', env);
        services.set('storage-node', fresh);
        await waitUntil(async () => (await ownedPartitions(fresh)) >= owned, {
          timeoutMs: 60_000,
          intervalMs: 100,
          what: `the restarted storage node to own its ${owned} partitions`,
          details: () => fresh.process.outputTail(),
        });
      },
      outputTails: () =>
        [...retired, ...services.values()]
          .map((s) => `== ${s.banner}\n${s.process.outputTail().slice(-3000)}`)
          .join('\n'),
      outputSummary: () =>
        [...retired, ...services.values()]
          .map((s) => `  ${s.kind} (pid ${s.process.pid}): ${summarizeLog(s.process.outputTail())}`)
          .join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
