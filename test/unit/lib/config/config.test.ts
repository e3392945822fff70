import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { ConfigError } from '../../../../lib/config/config-error.js';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({});
    expect(c.edgeAddr).toEqual({ host: '0.0.0.0', port: 9092 });
    expect(c.advertisedAddr).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(c.logLevel).toBe('warn');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads addresses, IPv6 included', () => {
    const c = loadConfig({
      KAFSCALE_EDGE_ADDR: '[::1]:9000',
      KAFSCALE_ADVERTISED_ADDR: 'kafka.example.com:443',
    });
    expect(c.edgeAddr).toEqual({ host: '::1', port: 9000 });
    expect(c.advertisedAddr).toEqual({ host: 'kafka.example.com', port: 443 });
  });

  it.each([
    ['KAFSCALE_EDGE_ADDR', 'localhost'],
    ['KAFSCALE_EDGE_ADDR', 'localhost:99999'],
    ['KAFSCALE_ADVERTISED_ADDR', 'a b:1'],
    ['KAFSCALE_LOG_LEVEL', 'loud'],
    ['KAFSCALE_MAX_REQUEST_BYTES', '12abc'],
    ['KAFSCALE_MAX_REQUEST_BYTES', '10'],
    ['KAFSCALE_CONNECTION_INFLIGHT_BYTES', '-5'],
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
