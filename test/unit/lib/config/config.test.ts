import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { ConfigError } from '../../../../lib/config/config-error.js';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({});
    expect(c.edgeAddr).toEqual({ host: '0.0.0.0', port: 9092 });
    expect(c.advertisedAddr).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(c.logLevel).toBe('warn');
    expect(c.etcd).toBeUndefined();
    expect(c.useMemoryS3).toBe(false);
    expect(c.s3).toMatchObject({
      bucket: 'kafscale',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
    });
    expect(c.storage).toMatchObject({
      flushIntervalMs: 20,
      flushBytes: 4194304,
      listenAddr: { host: '0.0.0.0', port: 19095 },
    });
    expect(c.controlplaneAddr).toEqual({ host: '0.0.0.0', port: 19094 });
    expect(c.metricsAddr).toEqual({ host: '0.0.0.0', port: 39093 });
    expect(c.autoCreateTopics).toBe(true);
    expect(c.throughputWindowSec).toBe(60);
    expect([c.quotaWindowNum, c.quotaWindowSizeSec]).toEqual([11, 1]);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.s3)).toBe(true);
  });

  it('reads etcd, S3 and storage settings', () => {
    const c = loadConfig({
      KAFSCALE_ETCD_ENDPOINTS: 'http://10.0.0.1:2379, http://10.0.0.2:2379',
      KAFSCALE_ETCD_USERNAME: 'u',
      KAFSCALE_ETCD_PASSWORD: 'p',
      KAFSCALE_S3_BUCKET: 'b',
      KAFSCALE_S3_PATH_STYLE: 'false',
      KAFSCALE_S3_KMS_ARN: 'arn:aws:kms:eu-west-1:1:key/x',
      KAFSCALE_USE_MEMORY_S3: '1',
      KAFSCALE_STORAGE_NODE_ID: 'storage-7',
      KAFSCALE_FLUSH_INTERVAL_MS: '50',
      KAFSCALE_TRACE_KAFKA: 'true',
      KAFSCALE_THROUGHPUT_WINDOW_SEC: '5',
      KAFSCALE_QUOTA_WINDOW_NUM: '5',
      KAFSCALE_QUOTA_WINDOW_SIZE_SECONDS: '2',
    });
    expect(c.etcd).toEqual({
      endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379'],
      username: 'u',
      password: 'p',
    });
    expect(c.s3).toMatchObject({
      bucket: 'b',
      forcePathStyle: false,
      kmsKeyArn: 'arn:aws:kms:eu-west-1:1:key/x',
    });
    expect(c.useMemoryS3).toBe(true);
    expect(c.storage).toMatchObject({
      nodeId: 'storage-7',
      flushIntervalMs: 50,
      minFlushIntervalMs: 50,
    });
    expect(c.traceKafka).toBe(true);
    expect(c.throughputWindowSec).toBe(5);
    expect([c.quotaWindowNum, c.quotaWindowSizeSec]).toEqual([5, 2]);
  });

  it('bounds the adaptive flush wait: fixed at the longest unless the shortest is set below it', () => {
    expect(loadConfig({}).storage).toMatchObject({ flushIntervalMs: 20, minFlushIntervalMs: 20 });
    expect(loadConfig({ KAFSCALE_FLUSH_INTERVAL_MS: '1' }).storage).toMatchObject({
      flushIntervalMs: 1,
      minFlushIntervalMs: 1,
    });
    expect(
      loadConfig({ KAFSCALE_FLUSH_INTERVAL_MS: '20', KAFSCALE_FLUSH_MIN_INTERVAL_MS: '2' }).storage,
    ).toMatchObject({ flushIntervalMs: 20, minFlushIntervalMs: 2 });
    expect(() =>
      loadConfig({ KAFSCALE_FLUSH_INTERVAL_MS: '20', KAFSCALE_FLUSH_MIN_INTERVAL_MS: '30' }),
    ).toThrow('KAFSCALE_FLUSH_MIN_INTERVAL_MS (30) is above KAFSCALE_FLUSH_INTERVAL_MS (20)');
  });

  it('reads addresses, IPv6 included', () => {
    const c = loadConfig({
      KAFSCALE_EDGE_ADDR: '[::1]:9000',
      KAFSCALE_ADVERTISED_ADDR: 'kafka.example.com:443',
    });
    expect(c.edgeAddr).toEqual({ host: '::1', port: 9000 });
    expect(c.advertisedAddr).toEqual({ host: 'kafka.example.com', port: 443 });
  });

  it('reads the console settings and the controlplane URL', () => {
    const defaults = loadConfig({});
    expect(defaults.console).toEqual({
      addr: { host: '127.0.0.1', port: 48080 },
      brokerMetricsUrls: [],
      adminToken: undefined,
    });
    expect(defaults.controlplaneUrl).toBe('http://127.0.0.1:19094');
    const c = loadConfig({
      KAFSCALE_CONSOLE_ADDR: '0.0.0.0:8080',
      KAFSCALE_CONSOLE_BROKER_METRICS_URL:
        'http://edge-1:39093/metrics, http://storage-1:39093/metrics',
      KAFSCALE_CONSOLE_ADMIN_TOKEN: 'a-token-of-16-chars-or-more',
      KAFSCALE_CONTROLPLANE_URL: 'cp.internal:19094',
    });
    expect(c.console).toEqual({
      addr: { host: '0.0.0.0', port: 8080 },
      brokerMetricsUrls: ['http://edge-1:39093/metrics', 'http://storage-1:39093/metrics'],
      adminToken: 'a-token-of-16-chars-or-more',
    });
    expect(c.controlplaneUrl).toBe('http://cp.internal:19094');
    expect(loadConfig({ KAFSCALE_CONTROLPLANE_URL: 'http://cp:1/' }).controlplaneUrl).toBe(
      'http://cp:1',
    );
  });

  it('refuses a short console admin token without repeating it', () => {
    let error: unknown;
    try {
      loadConfig({ KAFSCALE_CONSOLE_ADMIN_TOKEN: 'secret' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('KAFSCALE_CONSOLE_ADMIN_TOKEN');
    expect((error as ConfigError).message).toContain('at least 16 characters');
    expect((error as ConfigError).message).not.toContain('secret');
  });

  it.each([
    ['KAFSCALE_EDGE_ADDR', 'localhost'],
    ['KAFSCALE_EDGE_ADDR', 'localhost:99999'],
    ['KAFSCALE_ADVERTISED_ADDR', 'a b:1'],
    ['KAFSCALE_METRICS_ADVERTISED_ADDR', '10.0.0.7'],
    ['KAFSCALE_READ_HEDGE_PERCENTILE', '100'],
    ['KAFSCALE_LOG_LEVEL', 'loud'],
    ['KAFSCALE_MAX_REQUEST_BYTES', '12abc'],
    ['KAFSCALE_MAX_REQUEST_BYTES', '10'],
    ['KAFSCALE_CONNECTION_INFLIGHT_BYTES', '-5'],
    ['KAFSCALE_ETCD_ENDPOINTS', 'etcd:2379'],
    ['KAFSCALE_S3_ENDPOINT', 'ftp://x'],
    ['KAFSCALE_S3_PATH_STYLE', 'maybe'],
    ['KAFSCALE_STORAGE_NODE_ID', 'a/b'],
    ['KAFSCALE_FLUSH_INTERVAL_MS', '0'],
    ['KAFSCALE_FLUSH_MIN_INTERVAL_MS', '0'],
    ['KAFSCALE_TRACE_KAFKA', 'yes please'],
    ['KAFSCALE_METRICS_ADDR', ':9090x'],
    ['KAFSCALE_THROUGHPUT_WINDOW_SEC', '0'],
    ['KAFSCALE_THROUGHPUT_WINDOW_SEC', '5s'],
    ['KAFSCALE_THROUGHPUT_WINDOW_SEC', '3601'],
    ['KAFSCALE_CONSOLE_ADDR', '48080'],
    ['KAFSCALE_CONSOLE_BROKER_METRICS_URL', 'edge:39093/metrics'],
    ['KAFSCALE_CONTROLPLANE_URL', 'https://cp:19094'],
    ['KAFSCALE_CONTROLPLANE_URL', 'cp'],
  ])('refuses %s=%s with an error naming both', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(variable);
    expect((error as ConfigError).message).toContain(JSON.stringify(value));
  });
});
