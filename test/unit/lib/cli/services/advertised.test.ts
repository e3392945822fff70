import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../lib/config/config.js';
import {
  advertisedFor,
  formatHostPort,
  metricsAddressFor,
} from '../../../../../lib/cli/services/advertised.js';

describe('metricsAddressFor', () => {
  it('takes KAFSCALE_METRICS_ADVERTISED_ADDR as given', () => {
    const config = loadConfig({ KAFSCALE_METRICS_ADVERTISED_ADDR: '10.0.0.7:39093' });
    expect(metricsAddressFor(config, 'kafka.example.com', 40000)).toBe('10.0.0.7:39093');
  });

  it("uses the listener's host when it names one, else the service's host, with the bound port", () => {
    const named = loadConfig({ KAFSCALE_METRICS_ADDR: '127.0.0.1:0' });
    expect(metricsAddressFor(named, 'edge-0.local', 41234)).toBe('127.0.0.1:41234');
    const wildcard = loadConfig({ KAFSCALE_METRICS_ADDR: '0.0.0.0:39093' });
    expect(metricsAddressFor(wildcard, 'edge-0.local', 39093)).toBe('edge-0.local:39093');
    const v6 = loadConfig({ KAFSCALE_METRICS_ADDR: '[::]:0' });
    expect(metricsAddressFor(v6, 'fd00::7', 5000)).toBe('[fd00::7]:5000');
  });
});

describe('advertisedFor and formatHostPort', () => {
  it('prefers KAFSCALE_ADVERTISED_ADDR, else the listener (127.0.0.1 for a wildcard)', () => {
    const explicit = loadConfig({ KAFSCALE_ADVERTISED_ADDR: 'kafka.example.com:443' });
    expect(advertisedFor(explicit, { host: '0.0.0.0', port: 9092 }, 9092)).toEqual({
      host: 'kafka.example.com',
      port: 443,
    });
    const plain = loadConfig({});
    expect(advertisedFor(plain, { host: '0.0.0.0', port: 0 }, 9999)).toEqual({
      host: '127.0.0.1',
      port: 9999,
    });
    expect(formatHostPort({ host: '::1', port: 1 })).toBe('[::1]:1');
  });
});
