/**
 * What the CRD schema cannot check in a KafscaleCluster's `security`: the combinations an
 * edge would refuse at start-up (lib/config/security-config.ts), refused up front with the
 * chart's reasons (`kafscale.checkSecurity` in deploy/helm/kafscale/templates/_helpers.tpl),
 * each naming its field under `spec.`.
 */
import type { ClusterSettings } from './cluster-spec.js';
import { anyProtocol, SASL_PROTOCOLS, TLS_PROTOCOLS } from './edge-security.js';

function listenerProblems(s: ClusterSettings): string[] {
  const { listeners } = s.security;
  const problems: string[] = [];
  const names = new Set<string>();
  const ports = new Set<number>();
  for (const l of listeners) {
    if (names.has(l.name)) problems.push(`spec.security.listeners: ${l.name} is named twice`);
    if (ports.has(l.port))
      problems.push(`spec.security.listeners: two listeners on port ${l.port}`);
    names.add(l.name);
    ports.add(l.port);
  }
  if (listeners.length > 0 && !listeners.some((l) => l.external === true))
    problems.push(
      'spec.security.listeners: none is external: mark the listener(s) the edge Service serves with external: true',
    );
  if (listeners.length > 0 && s.edge.singleAddress.enabled)
    problems.push(
      'spec.edge.singleAddress.enabled: not with security.listeners; give each listener its advertisedAddr instead',
    );
  return problems;
}

function tlsProblems(s: ClusterSettings): string[] {
  const { secretRef, clientAuth } = s.security.tls;
  const tlsListener = anyProtocol(s, TLS_PROTOCOLS);
  const problems: string[] = [];
  if (tlsListener && secretRef === null)
    problems.push(
      'spec.security.tls.secretRef: required by the SSL and SASL_SSL listeners in security.listeners',
    );
  if (secretRef !== null && !tlsListener)
    problems.push(
      'spec.security.tls.secretRef: no listener in security.listeners uses SSL or SASL_SSL',
    );
  if (clientAuth !== 'none' && secretRef?.caKey === undefined)
    problems.push(
      `spec.security.tls.clientAuth: ${clientAuth} needs the CA of client certificates: set security.tls.secretRef.caKey`,
    );
  return problems;
}

function saslProblems(s: ClusterSettings): string[] {
  const { enabledMechanisms, plainUsersSecretRef } = s.security.sasl;
  const plain = enabledMechanisms.includes('PLAIN');
  const problems: string[] = [];
  if (plain && plainUsersSecretRef === null)
    problems.push(
      'spec.security.sasl.enabledMechanisms: PLAIN needs the users file: set security.sasl.plainUsersSecretRef',
    );
  if (plainUsersSecretRef !== null && !plain)
    problems.push(
      'spec.security.sasl.plainUsersSecretRef: PLAIN is not in security.sasl.enabledMechanisms',
    );
  if (plainUsersSecretRef !== null && !anyProtocol(s, SASL_PROTOCOLS))
    problems.push(
      'spec.security.sasl.plainUsersSecretRef: no listener in security.listeners uses SASL_PLAINTEXT or SASL_SSL',
    );
  return problems;
}

export function validateSecurity(s: ClusterSettings): string[] {
  return [...listenerProblems(s), ...tlsProblems(s), ...saslProblems(s)];
}
