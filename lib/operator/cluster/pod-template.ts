/**
 * The pod template of a Kafscale service, as the chart's `kafscale.podTemplate` makes it:
 * one container running `kafscale <service>`, its settings from the service's ConfigMap,
 * credentials only through secretKeyRef, probes on /healthz and /readyz at the metrics
 * port (every service, the console too), non-root with a read-only root and /tmp on an emptyDir;
 * the edges also mount the TLS and PLAIN-users Secrets (edge-security.ts), and each service
 * the Secrets of the security between the services it reads (service-security.ts).
 */
import { createHash } from 'node:crypto';
import type { Json } from '../kube/kube-object.js';
import { COMMAND, type ClusterSettings, type ComponentKey } from './cluster-spec.js';
import { configData } from './config-data.js';
import {
  advertisedListenersEnv,
  listenerPortName,
  securityVolumeMounts,
  securityVolumes,
} from './edge-security.js';
import { componentName, selectorLabels } from './object-names.js';
import { serviceSecurityVolumeMounts, serviceSecurityVolumes } from './service-security.js';
import { VERSION } from '../../cli/version.js';

const PROBES = {
  startup: { periodSeconds: 2, failureThreshold: 60, timeoutSeconds: 2 },
  liveness: { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
  readiness: { periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
};

function secretEnv(name: string, secret: string, key: string): Json {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** Credentials from the Secrets the spec names: etcd for three services, S3 for storage. */
function credentialsEnv(s: ClusterSettings, key: ComponentKey): Json[] {
  const env: Json[] = [];
  const etcd = s.etcd.credentialsSecretRef;
  if (etcd !== null && key !== 'console') {
    env.push(secretEnv('KAFSCALE_ETCD_USERNAME', etcd.name, etcd.usernameKey ?? 'username'));
    env.push(secretEnv('KAFSCALE_ETCD_PASSWORD', etcd.name, etcd.passwordKey ?? 'password'));
  }
  const s3 = s.s3.credentialsSecretRef;
  if (s3 !== null && key === 'storageNode') {
    env.push(secretEnv('KAFSCALE_S3_ACCESS_KEY', s3.name, s3.accessKeyKey ?? 'access-key'));
    env.push(secretEnv('KAFSCALE_S3_SECRET_KEY', s3.name, s3.secretKeyKey ?? 'secret-key'));
    if (s3.sessionTokenKey !== undefined && s3.sessionTokenKey !== '') {
      env.push(secretEnv('KAFSCALE_S3_SESSION_TOKEN', s3.name, s3.sessionTokenKey));
    }
  }
  const token = s.console.adminTokenSecretRef;
  if (token !== null && key === 'console') {
    env.push(secretEnv('KAFSCALE_CONSOLE_ADMIN_TOKEN', token.name, token.key ?? 'admin-token'));
  }
  return env;
}

/** Per-pod settings: the address each pod advertises, and a storage node's id. */
function podEnv(s: ClusterSettings, key: ComponentKey): Json[] {
  const advertised = { name: 'KAFSCALE_ADVERTISED_ADDR', value: `$(POD_IP):${s[key].port}` };
  switch (key) {
    case 'edge':
      if (s.security.listeners.length > 0) return [advertisedListenersEnv(s)];
      return s.edge.singleAddress.enabled ? [] : [advertised];
    case 'controlplane':
      return [advertised];
    case 'storageNode':
      return [advertised, { name: 'KAFSCALE_STORAGE_NODE_ID', value: '$(POD_NAME)' }];
    case 'console':
      return [];
  }
}

const HEALTHZ = { path: '/healthz', port: 'metrics' };
const READYZ = { path: '/readyz', port: 'metrics' };

/** The service's own ports (the edges': one per listener with `security.listeners`). */
function servicePorts(s: ClusterSettings, key: ComponentKey): Json[] {
  if (key === 'edge' && s.security.listeners.length > 0)
    return s.security.listeners.map((l) => ({
      name: listenerPortName(l),
      containerPort: l.port,
      protocol: 'TCP',
    }));
  const name = { edge: 'kafka', controlplane: 'grpc', storageNode: 'grpc', console: 'http' }[key];
  return [{ name, containerPort: s[key].port, protocol: 'TCP' }];
}

/** Quantities as the API stores them (a spec may give whole CPUs as numbers). */
function quantities(q: Readonly<Record<string, string | number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));
}

/** A digest of the ConfigMap's data: a settings change rolls the service's pods. */
function configChecksum(data: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

export function podTemplate(
  cluster: string,
  s: ClusterSettings,
  key: ComponentKey,
  serviceAccount: string,
): Json {
  const v = s[key];
  const labels = selectorLabels(cluster, key);
  const edge = key === 'edge';
  return {
    metadata: {
      labels,
      annotations: { 'checksum/config': configChecksum(configData(cluster, s, key)) },
    },
    spec: {
      serviceAccountName: serviceAccount,
      automountServiceAccountToken: false,
      ...(s.imagePullSecrets.length > 0 ? { imagePullSecrets: [...s.imagePullSecrets] } : {}),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      terminationGracePeriodSeconds: v.terminationGracePeriodSeconds,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: labels },
        },
      ],
      containers: [
        {
          name: COMMAND[key],
          image: `${s.image.repository}:${s.image.tag === '' ? VERSION : s.image.tag}`,
          imagePullPolicy: s.image.pullPolicy,
          args: [COMMAND[key]],
          envFrom: [{ configMapRef: { name: componentName(cluster, key) } }],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            // Where the controlplane reads this pod's /load for the cluster status.
            { name: 'KAFSCALE_METRICS_ADVERTISED_ADDR', value: `$(POD_IP):${s.metricsPort}` },
            ...podEnv(s, key),
            ...credentialsEnv(s, key),
          ],
          ports: [
            ...servicePorts(s, key),
            { name: 'metrics', containerPort: s.metricsPort, protocol: 'TCP' },
          ],
          startupProbe: { httpGet: HEALTHZ, ...PROBES.startup },
          livenessProbe: { httpGet: HEALTHZ, ...PROBES.liveness },
          readinessProbe: { httpGet: READYZ, ...PROBES.readiness },
          ...(key === 'edge' && s.edge.preStopSleepSeconds > 0
            ? {
                lifecycle: {
                  preStop: { exec: { command: ['sleep', String(s.edge.preStopSleepSeconds)] } },
                },
              }
            : {}),
          resources: {
            ...(v.resources.requests === undefined
              ? {}
              : { requests: quantities(v.resources.requests) }),
            ...(v.resources.limits === undefined ? {} : { limits: quantities(v.resources.limits) }),
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            ...(edge ? securityVolumeMounts(s) : []),
            ...serviceSecurityVolumeMounts(s, key),
          ],
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...(edge ? securityVolumes(s) : []),
        ...serviceSecurityVolumes(s, key),
      ],
    },
  };
}
