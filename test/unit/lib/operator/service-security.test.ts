/**
 * The operator's side of the security between the services (lib/operator/cluster/
 * service-security.ts, validate-service-security.ts): each service's ConfigMap names the
 * files of exactly the Secrets its process reads, mounted read-only in its pod, and the
 * combinations a process would refuse (or that would lock the console out of the admin API)
 * are named by field. The chart's side, and parity with it, are in test/integration/k8s.
 */
import { describe, expect, it } from 'vitest';
import {
  clusterSettings,
  type ComponentKey,
} from '../../../../lib/operator/cluster/cluster-spec.js';
import { clusterObjects } from '../../../../lib/operator/cluster/cluster-objects.js';
import { configData } from '../../../../lib/operator/cluster/config-data.js';
import { componentName } from '../../../../lib/operator/cluster/object-names.js';
import { validateCluster } from '../../../../lib/operator/cluster/validate-cluster.js';

const SECURED = {
  etcd: {
    endpoints: ['https://etcd:2379'],
    tlsSecretRef: { name: 'etcd-tls', certKey: 'c', keyKey: 'k' },
  },
  security: {
    services: {
      grpcTls: { secretRef: { name: 'grpc' } },
      adminTokensSecretRef: { name: 'tokens' },
      adminClientTokenSecretRef: { name: 'client' },
    },
  },
};

interface PodSpec {
  readonly containers: readonly {
    readonly volumeMounts?: readonly { name: string; mountPath: string; readOnly?: boolean }[];
  }[];
  readonly volumes: readonly {
    readonly name: string;
    readonly secret?: { readonly items: readonly { readonly path: string }[] };
  }[];
}

const GRPC = [
  'KAFSCALE_GRPC_TLS_CA_FILE',
  'KAFSCALE_GRPC_TLS_CERT_FILE',
  'KAFSCALE_GRPC_TLS_KEY_FILE',
];
const ETCD = ['KAFSCALE_ETCD_CA_FILE', 'KAFSCALE_ETCD_CERT_FILE', 'KAFSCALE_ETCD_KEY_FILE'];
const READS: [ComponentKey, string[]][] = [
  ['edge', [...ETCD, ...GRPC]],
  ['controlplane', ['KAFSCALE_ADMIN_TOKENS_FILE', ...ETCD, ...GRPC]],
  ['storageNode', [...ETCD, ...GRPC]],
  ['console', ['KAFSCALE_ADMIN_TOKEN_FILE', ...GRPC]],
];

describe('the Secrets between the services', () => {
  it.each(READS)('%s gets the files its process reads, on read-only volumes', (key, files) => {
    const data = configData('c', clusterSettings(SECURED), key);
    const named = Object.keys(data).filter((k) => k.endsWith('_FILE'));
    expect(named.sort()).toEqual(files);
    const workload = clusterObjects('c', 'ns', clusterSettings(SECURED)).find(
      (o) =>
        (o.kind === 'Deployment' || o.kind === 'StatefulSet') &&
        o.metadata.name === componentName('c', key),
    ) as unknown as { spec: { template: { spec: PodSpec } } };
    const pod = workload.spec.template.spec;
    const mounted = (pod.containers[0]?.volumeMounts ?? [])
      .filter((m) => m.name !== 'tmp')
      .flatMap((m) => {
        expect(m.readOnly, m.name).toBe(true);
        const items = pod.volumes.find((v) => v.name === m.name)?.secret?.items ?? [];
        return items.map((i) => `${m.mountPath}/${i.path}`);
      });
    expect(mounted.sort()).toEqual(files.map((f) => data[f]).sort());
  });

  it('without them, no service gets a file setting or a Secret volume', () => {
    for (const [key] of READS)
      expect(Object.keys(configData('c', clusterSettings({}), key))).not.toContain(
        'KAFSCALE_GRPC_TLS_CERT_FILE',
      );
    expect(JSON.stringify(clusterObjects('c', 'ns', clusterSettings({})))).not.toContain(
      'secretName',
    );
  });
});

describe('validateCluster on the security between the services', () => {
  it('names each combination a process would refuse, or that locks the console out', () => {
    expect(
      validateCluster(
        clusterSettings({
          etcd: { endpoints: ['http://etcd:2379'], tlsSecretRef: { name: 'e', certKey: 'c' } },
          security: {
            services: { grpcTls: { serverName: 'x' }, adminTokensSecretRef: { name: 't' } },
          },
        }),
      ),
    ).toEqual([
      'spec.security.services.grpcTls.serverName: gRPC TLS is off: set security.services.grpcTls.secretRef',
      'spec.security.services.adminTokensSecretRef: the console would be refused by the admin API (no token, no client certificate): set security.services.adminClientTokenSecretRef, or security.services.grpcTls.secretRef',
      'spec.etcd.tlsSecretRef.certKey: a client certificate needs both KAFSCALE_ETCD_CERT_FILE and KAFSCALE_ETCD_KEY_FILE: set etcd.tlsSecretRef.keyKey too',
      'spec.etcd.tlsSecretRef: etcd TLS is configured (KAFSCALE_ETCD_CA_FILE, _CERT_FILE, _KEY_FILE): use https:// endpoints (etcd.endpoints has http://etcd:2379)',
    ]);
    expect(validateCluster(clusterSettings(SECURED))).toEqual([]);
  });
});
