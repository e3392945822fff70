import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { ConfigError } from '../../../../lib/config/config-error.js';

const thrown = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('loadConfig accepted the settings');
};

describe('security between services', () => {
  it('is off by default: plain gRPC, plain etcd, an open admin API', () => {
    const c = loadConfig({ KAFSCALE_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' });
    expect(c.serviceTls).toBeUndefined();
    expect(c.etcd?.tls).toBeUndefined();
    expect(c.adminAuth).toEqual({ tokensFile: undefined, tokenFile: undefined });
  });

  it('reads mutual TLS, etcd TLS and the admin token files', () => {
    const c = loadConfig({
      KAFSCALE_GRPC_TLS_CERT_FILE: '/grpc/tls.crt',
      KAFSCALE_GRPC_TLS_KEY_FILE: '/grpc/tls.key',
      KAFSCALE_GRPC_TLS_CA_FILE: '/grpc/ca.crt',
      KAFSCALE_GRPC_TLS_SERVER_NAME: 'kafscale-internal',
      KAFSCALE_ETCD_ENDPOINTS: 'https://etcd-0:2379,https://etcd-1:2379',
      KAFSCALE_ETCD_CA_FILE: '/etcd/ca.crt',
      KAFSCALE_ETCD_CERT_FILE: '/etcd/tls.crt',
      KAFSCALE_ETCD_KEY_FILE: '/etcd/tls.key',
      KAFSCALE_ETCD_USERNAME: 'kafscale',
      KAFSCALE_ETCD_PASSWORD: 'secret',
      KAFSCALE_ADMIN_TOKENS_FILE: '/admin/tokens',
      KAFSCALE_ADMIN_TOKEN_FILE: '/admin/token',
    });
    expect(c.serviceTls).toEqual({
      certFile: '/grpc/tls.crt',
      keyFile: '/grpc/tls.key',
      caFile: '/grpc/ca.crt',
      serverName: 'kafscale-internal',
    });
    expect(c.etcd).toMatchObject({
      username: 'kafscale',
      tls: { caFile: '/etcd/ca.crt', certFile: '/etcd/tls.crt', keyFile: '/etcd/tls.key' },
    });
    expect(c.adminAuth).toEqual({ tokensFile: '/admin/tokens', tokenFile: '/admin/token' });
  });

  it('refuses a partial gRPC TLS setting, naming what is missing', () => {
    const e = thrown({
      KAFSCALE_GRPC_TLS_CERT_FILE: '/grpc/tls.crt',
      KAFSCALE_GRPC_TLS_KEY_FILE: '/grpc/tls.key',
    });
    expect(e.message).toMatch(/KAFSCALE_GRPC_TLS_CERT_FILE/);
    expect(e.message).toMatch(/set KAFSCALE_GRPC_TLS_CA_FILE too/);
    expect(thrown({ KAFSCALE_GRPC_TLS_SERVER_NAME: 'x' }).message).toMatch(/gRPC TLS is off/);
  });

  it('refuses etcd TLS with plain endpoints, and a certificate without its key', () => {
    expect(
      thrown({
        KAFSCALE_ETCD_ENDPOINTS: 'https://a:2379,http://b:2379',
        KAFSCALE_ETCD_CA_FILE: '/etcd/ca.crt',
      }).message,
    ).toMatch(/http:\/\/b:2379.*https:\/\//);
    expect(
      thrown({
        KAFSCALE_ETCD_ENDPOINTS: 'https://a:2379',
        KAFSCALE_ETCD_CERT_FILE: '/etcd/tls.crt',
      }).message,
    ).toMatch(/KAFSCALE_ETCD_CERT_FILE.*KAFSCALE_ETCD_KEY_FILE/);
  });
});
