/**
 * The edge's security metrics, declared once per injected registry:
 * - kafscale_sasl_authentications_total{mechanism, outcome}: finished SASL exchanges,
 *   outcome `success` or `failure` (bad credentials or a malformed exchange)
 * - kafscale_tls_handshake_failures_total{listener}: TLS handshakes that failed (untrusted or
 *   missing client certificate, a plaintext client on a TLS port, no common protocol)
 * - kafscale_tls_reloads_total{outcome}: changed certificate files loaded (`success`) or
 *   refused, the previous certificate staying in use (`failure`)
 */
import type { Registry } from 'prom-client';
import { counter } from '../../../lib/metrics/define.js';

export interface SecurityMetrics {
  readonly authentication: (mechanism: string, outcome: 'success' | 'failure') => void;
  readonly tlsHandshakeFailure: (listener: string) => void;
  readonly tlsReload: (outcome: 'success' | 'failure') => void;
}

export function securityMetrics(registry: Registry): SecurityMetrics {
  const authentications = counter(registry, {
    name: 'kafscale_sasl_authentications_total',
    help: 'SASL authentications by mechanism and outcome (success, failure).',
    labelNames: ['mechanism', 'outcome'],
  });
  const handshakes = counter(registry, {
    name: 'kafscale_tls_handshake_failures_total',
    help: 'TLS handshakes that failed on a Kafka listener (untrusted certificate, plaintext client on a TLS port...).',
    labelNames: ['listener'],
  });
  const reloads = counter(registry, {
    name: 'kafscale_tls_reloads_total',
    help: 'Changed TLS certificate files loaded (success) or refused, keeping the previous ones (failure).',
    labelNames: ['outcome'],
  });
  return {
    authentication: (mechanism, outcome) => {
      authentications.inc({ mechanism, outcome });
    },
    tlsHandshakeFailure: (listener) => {
      handshakes.inc({ listener });
    },
    tlsReload: (outcome) => {
      reloads.inc({ outcome });
    },
  };
}
