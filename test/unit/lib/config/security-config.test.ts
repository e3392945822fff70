import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { ConfigError } from '../../../../lib/config/config-error.js';

describe('listeners and security settings', () => {
  it('default to one PLAINTEXT listener on KAFSCALE_EDGE_ADDR, SCRAM mechanisms, no re-authentication', () => {
    const c = loadConfig({ KAFSCALE_EDGE_ADDR: '127.0.0.1:9000', KAFSCALE_ADVERTISED_ADDR: 'k:1' });
    expect(c.listeners).toEqual([
      {
        name: 'PLAINTEXT',
        protocol: 'PLAINTEXT',
        listen: { host: '127.0.0.1', port: 9000 },
        advertised: { host: 'k', port: 1 },
      },
    ]);
    expect(c.security).toEqual({
      tls: undefined,
      sasl: {
        mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'],
        plainUsersFile: undefined,
        maxReauthMs: 0,
      },
      reloadIntervalMs: 10_000,
    });
  });

  it('read named listeners, their protocols, advertised addresses, TLS and SASL', () => {
    const c = loadConfig({
      KAFSCALE_LISTENERS: 'internal://0.0.0.0:9092, SASL_SSL://0.0.0.0:9094,ssl://[::1]:9095',
      KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP: 'INTERNAL:PLAINTEXT',
      KAFSCALE_ADVERTISED_LISTENERS: 'SASL_SSL://kafka.example.com:443',
      KAFSCALE_TLS_CERT_FILE: '/tls/cert.pem',
      KAFSCALE_TLS_KEY_FILE: '/tls/key.pem',
      KAFSCALE_TLS_CA_FILE: '/tls/ca.pem',
      KAFSCALE_TLS_CLIENT_AUTH: 'required',
      KAFSCALE_SASL_ENABLED_MECHANISMS: 'plain,SCRAM-SHA-512',
      KAFSCALE_SASL_PLAIN_USERS_FILE: '/sasl/users',
      KAFSCALE_SASL_MAX_REAUTH_MS: '60000',
      KAFSCALE_SECURITY_RELOAD_INTERVAL_MS: '500',
    });
    expect(c.listeners.map((l) => [l.name, l.protocol, l.listen.port, l.advertised?.host])).toEqual(
      [
        ['INTERNAL', 'PLAINTEXT', 9092, undefined],
        ['SASL_SSL', 'SASL_SSL', 9094, 'kafka.example.com'],
        ['SSL', 'SSL', 9095, undefined],
      ],
    );
    expect(c.edgeAddr).toEqual({ host: '0.0.0.0', port: 9092 });
    expect(c.security.tls).toEqual({
      certFile: '/tls/cert.pem',
      keyFile: '/tls/key.pem',
      caFile: '/tls/ca.pem',
      clientAuth: 'required',
    });
    expect(c.security.sasl).toEqual({
      mechanisms: ['PLAIN', 'SCRAM-SHA-512'],
      plainUsersFile: '/sasl/users',
      maxReauthMs: 60000,
    });
    expect(c.security.reloadIntervalMs).toBe(500);
  });

  it.each([
    [{ KAFSCALE_LISTENERS: 'PLAINTEXT://h:1', KAFSCALE_EDGE_ADDR: 'h:2' }, 'KAFSCALE_EDGE_ADDR'],
    [{ KAFSCALE_LISTENERS: 'OUTSIDE://h:1' }, 'KAFSCALE_LISTENERS'],
    [{ KAFSCALE_LISTENERS: 'PLAINTEXT://h:1,PLAINTEXT://h:2' }, 'KAFSCALE_LISTENERS'],
    [{ KAFSCALE_LISTENERS: 'PLAINTEXT://h:1,SSL://h:1' }, 'KAFSCALE_LISTENERS'],
    [{ KAFSCALE_LISTENERS: 'h:1' }, 'KAFSCALE_LISTENERS'],
    [
      { KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP: 'A:TLS', KAFSCALE_LISTENERS: 'A://h:1' },
      'KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP',
    ],
    [{ KAFSCALE_ADVERTISED_LISTENERS: 'PLAINTEXT://h:1' }, 'KAFSCALE_ADVERTISED_LISTENERS'],
    [
      { KAFSCALE_LISTENERS: 'PLAINTEXT://h:1', KAFSCALE_ADVERTISED_LISTENERS: 'SSL://h:1' },
      'KAFSCALE_ADVERTISED_LISTENERS',
    ],
    [{ KAFSCALE_LISTENERS: 'SSL://h:1', KAFSCALE_TLS_KEY_FILE: 'k' }, 'KAFSCALE_TLS_CERT_FILE'],
    [
      {
        KAFSCALE_LISTENERS: 'SSL://h:1',
        KAFSCALE_TLS_KEY_FILE: 'k',
        KAFSCALE_TLS_CERT_FILE: 'c',
        KAFSCALE_TLS_CLIENT_AUTH: 'requested',
      },
      'KAFSCALE_TLS_CLIENT_AUTH',
    ],
    [{ KAFSCALE_TLS_CERT_FILE: 'c' }, 'KAFSCALE_TLS_CERT_FILE'],
    [
      { KAFSCALE_LISTENERS: 'SASL_PLAINTEXT://h:1', KAFSCALE_SASL_ENABLED_MECHANISMS: 'PLAIN' },
      'KAFSCALE_SASL_ENABLED_MECHANISMS',
    ],
    [{ KAFSCALE_SASL_ENABLED_MECHANISMS: 'GSSAPI' }, 'KAFSCALE_SASL_ENABLED_MECHANISMS'],
    [
      { KAFSCALE_LISTENERS: 'SASL_PLAINTEXT://h:1', KAFSCALE_SASL_PLAIN_USERS_FILE: 'u' },
      'KAFSCALE_SASL_PLAIN_USERS_FILE',
    ],
    [
      { KAFSCALE_SASL_ENABLED_MECHANISMS: 'PLAIN', KAFSCALE_SASL_PLAIN_USERS_FILE: 'u' },
      'KAFSCALE_SASL_PLAIN_USERS_FILE',
    ],
    [{ KAFSCALE_SASL_MAX_REAUTH_MS: '-1' }, 'KAFSCALE_SASL_MAX_REAUTH_MS'],
  ])('refuse %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
  });
});
