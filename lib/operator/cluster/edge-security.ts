/**
 * The edges' Kafka listeners, TLS and SASL, as the chart renders `security`
 * (deploy/helm/kafscale/templates/_helpers.tpl, `kafscale.securityConfig` and the
 * volumes next to it): the settings in the edge ConfigMap, the per-pod advertised
 * listeners, the container and Service ports, and the Secrets mounted read-only as volumes
 * (an edge reloads changed files) whose paths the settings name. No Secret's content is ever
 * in a setting.
 */
import type { Json } from '../kube/kube-object.js';
import type { ClusterSettings, ListenerSettings, SecurityProtocol } from './cluster-spec.js';

const TLS_DIR = '/etc/kafscale/tls';
const SASL_DIR = '/etc/kafscale/sasl';

/** The port name of a listener: SASL_SSL -> sasl-ssl. */
export function listenerPortName(l: ListenerSettings): string {
  return l.name.toLowerCase().replaceAll('_', '-');
}

export function anyProtocol(s: ClusterSettings, protocols: readonly SecurityProtocol[]): boolean {
  return s.security.listeners.some((l) => protocols.includes(l.protocol));
}

export const TLS_PROTOCOLS: readonly SecurityProtocol[] = ['SSL', 'SASL_SSL'];
export const SASL_PROTOCOLS: readonly SecurityProtocol[] = ['SASL_PLAINTEXT', 'SASL_SSL'];

/** The edge ConfigMap's listener, TLS and SASL settings. */
export function securityConfigData(s: ClusterSettings): Record<string, string> {
  const { listeners, tls, sasl } = s.security;
  const data: Record<string, string> = {};
  if (listeners.length > 0) {
    data.KAFSCALE_LISTENERS = listeners.map((l) => `${l.name}://0.0.0.0:${l.port}`).join(',');
    data.KAFSCALE_LISTENER_SECURITY_PROTOCOL_MAP = listeners
      .map((l) => `${l.name}:${l.protocol}`)
      .join(',');
  }
  if (tls.secretRef !== null) {
    data.KAFSCALE_TLS_CERT_FILE = `${TLS_DIR}/tls.crt`;
    data.KAFSCALE_TLS_KEY_FILE = `${TLS_DIR}/tls.key`;
    if (tls.secretRef.caKey !== undefined) data.KAFSCALE_TLS_CA_FILE = `${TLS_DIR}/ca.crt`;
    data.KAFSCALE_TLS_CLIENT_AUTH = tls.clientAuth;
  }
  if (anyProtocol(s, SASL_PROTOCOLS)) {
    data.KAFSCALE_SASL_ENABLED_MECHANISMS = sasl.enabledMechanisms.join(',');
    data.KAFSCALE_SASL_MAX_REAUTH_MS = String(sasl.maxReauthMs);
    if (sasl.plainUsersSecretRef !== null)
      data.KAFSCALE_SASL_PLAIN_USERS_FILE = `${SASL_DIR}/plain-users`;
  }
  return data;
}

/** KAFSCALE_ADVERTISED_LISTENERS of an edge pod: each listener's address, else the pod IP. */
export function advertisedListenersEnv(s: ClusterSettings): Json {
  const value = s.security.listeners
    .map((l) =>
      l.advertisedAddr === undefined || l.advertisedAddr === ''
        ? `${l.name}://$(POD_IP):${l.port}`
        : `${l.name}://${l.advertisedAddr}`,
    )
    .join(',');
  return { name: 'KAFSCALE_ADVERTISED_LISTENERS', value };
}

/** The edge Secret volumes: TLS material and the PLAIN users file, each under fixed names. */
export function securityVolumes(s: ClusterSettings): Json[] {
  const { tls, sasl } = s.security;
  const volumes: Json[] = [];
  if (tls.secretRef !== null) {
    const items = [
      { key: tls.secretRef.certKey ?? 'tls.crt', path: 'tls.crt' },
      { key: tls.secretRef.keyKey ?? 'tls.key', path: 'tls.key' },
      ...(tls.secretRef.caKey === undefined ? [] : [{ key: tls.secretRef.caKey, path: 'ca.crt' }]),
    ];
    volumes.push({ name: 'tls', secret: { secretName: tls.secretRef.name, items } });
  }
  if (sasl.plainUsersSecretRef !== null) {
    const items = [{ key: sasl.plainUsersSecretRef.key ?? 'plain-users', path: 'plain-users' }];
    volumes.push({
      name: 'sasl-plain-users',
      secret: { secretName: sasl.plainUsersSecretRef.name, items },
    });
  }
  return volumes;
}

export function securityVolumeMounts(s: ClusterSettings): Json[] {
  return [
    ...(s.security.tls.secretRef === null
      ? []
      : [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }]),
    ...(s.security.sasl.plainUsersSecretRef === null
      ? []
      : [{ name: 'sasl-plain-users', mountPath: SASL_DIR, readOnly: true }]),
  ];
}
