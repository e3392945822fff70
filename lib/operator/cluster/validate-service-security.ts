/**
 * What the CRD schema cannot check in a KafscaleCluster's security between the services
 * (`security.services`, `etcd.tlsSecretRef`): what a process would refuse at start-up
 * (lib/config/service-security-config.ts, whose reasons the etcd messages reuse), and an
 * admin API whose tokens would lock the console out. The chart refuses the same with the
 * same messages (`kafscale.checkServiceSecurity` in
 * deploy/helm/kafscale/templates/_service-security.tpl), here under `spec.`.
 */
import {
  ETCD_CLIENT_CERT_NEEDS_BOTH,
  ETCD_TLS_NEEDS_HTTPS,
} from '../../config/service-security-config.js';
import type { ClusterSettings } from './cluster-spec.js';

function servicesProblems(s: ClusterSettings): string[] {
  const { grpcTls, adminTokensSecretRef, adminClientTokenSecretRef } = s.security.services;
  const problems: string[] = [];
  if (grpcTls.serverName !== '' && grpcTls.secretRef === null)
    problems.push(
      'spec.security.services.grpcTls.serverName: gRPC TLS is off: set security.services.grpcTls.secretRef',
    );
  // admin-authentication.ts: with a tokens file, a call without a token needs a client
  // certificate, which only mutual TLS gives. The console is the one caller a cluster runs.
  if (
    adminTokensSecretRef !== null &&
    adminClientTokenSecretRef === null &&
    grpcTls.secretRef === null &&
    s.console.enabled
  )
    problems.push(
      'spec.security.services.adminTokensSecretRef: the console would be refused by the admin API (no token, no client certificate): set security.services.adminClientTokenSecretRef, or security.services.grpcTls.secretRef',
    );
  return problems;
}

function etcdProblems(s: ClusterSettings): string[] {
  const secret = s.etcd.tlsSecretRef;
  if (secret === null) return [];
  const problems: string[] = [];
  if (secret.certKey !== undefined && secret.keyKey === undefined)
    problems.push(
      `spec.etcd.tlsSecretRef.certKey: ${ETCD_CLIENT_CERT_NEEDS_BOTH}: set etcd.tlsSecretRef.keyKey too`,
    );
  if (secret.keyKey !== undefined && secret.certKey === undefined)
    problems.push(
      `spec.etcd.tlsSecretRef.keyKey: ${ETCD_CLIENT_CERT_NEEDS_BOTH}: set etcd.tlsSecretRef.certKey too`,
    );
  const plain = s.etcd.endpoints.find((e) => !e.startsWith('https://'));
  if (plain !== undefined)
    problems.push(`spec.etcd.tlsSecretRef: ${ETCD_TLS_NEEDS_HTTPS} (etcd.endpoints has ${plain})`);
  return problems;
}

export function validateServiceSecurity(s: ClusterSettings): string[] {
  return [...servicesProblems(s), ...etcdProblems(s)];
}
