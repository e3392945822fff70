/**
 * A real kube-apiserver for the chart tests: the binary scripts/test-deps.sh builds
 * (docs/kubernetes.md), on a free loopback port over a real etcd (test/fixtures/etcd.ts),
 * with a static admin token and its self-signed serving certificate. No controller
 * manager, scheduler or kubelet: objects are stored and validated, nothing runs.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import {
  freePort,
  isAddressInUse,
  makeTempDir,
  removeDir,
  spawnManaged,
  waitUntil,
  type ManagedProcess,
} from '../../fixtures/processes.js';
import { tool } from './k8s-tools.js';

export interface KubeApiserver {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  /** A kubeconfig file (admin token, TLS verification off: the certificate is self-signed). */
  readonly kubeconfig: string;
  /** GET a path with the admin token; the parsed JSON body. */
  get(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

const TOKEN = 'kafscale-test-admin-token';

function httpsGet(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        // The server's own self-signed certificate, on loopback.
        rejectUnauthorized: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export async function startKubeApiserver(): Promise<KubeApiserver> {
  const binary = tool('kube-apiserver');
  const etcd: EtcdFixture = await startEtcd({ name: 'kube-apiserver-etcd' });
  const dir = makeTempDir('kube-apiserver');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saKey = join(dir, 'sa.key');
  writeFileSync(saKey, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  writeFileSync(join(dir, 'tokens.csv'), `${TOKEN},admin,1,system:masters\n`);

  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const proc: ManagedProcess = spawnManaged(
      binary,
      [
        `--etcd-servers=${etcd.endpoints.join(',')}`,
        // Each attempt's objects under their own prefix (a failed start may have written some).
        `--etcd-prefix=/registry-${attempt}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${port}`,
        `--cert-dir=${join(dir, `certs-${attempt}`)}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--service-account-issuer=https://kubernetes.default.svc',
        `--service-account-key-file=${saKey}`,
        `--service-account-signing-key-file=${saKey}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
      ],
      { name: 'kube-apiserver' },
    );
    try {
      await waitUntil(
        async () => {
          const r = await httpsGet(`${url}/readyz`, TOKEN);
          return r.status === 200 && r.body.trim() === 'ok';
        },
        {
          what: `kube-apiserver on ${url}`,
          timeoutMs: 60_000,
          intervalMs: 200,
          abortIf: () => proc.exitStatus(),
          details: () => `kube-apiserver output tail:\n${proc.outputTail()}`,
        },
      );
    } catch (err) {
      lastError = err;
      await proc.stop(2000);
      if (isAddressInUse(proc.outputTail())) continue;
      break;
    }
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        `- name: test\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
        `users:\n- name: admin\n  user:\n    token: ${TOKEN}`,
        'contexts:\n- name: test\n  context:\n    cluster: test\n    user: admin',
        'current-context: test',
        '',
      ].join('\n'),
    );
    return {
      url,
      kubeconfig,
      async get(path: string) {
        const r = await httpsGet(`${url}${path}`, TOKEN);
        if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.slice(0, 500)}`);
        return JSON.parse(r.body) as unknown;
      },
      async stop() {
        await proc.stop(5000);
        await etcd.stop();
        removeDir(dir);
      },
    };
  }
  await etcd.stop();
  removeDir(dir);
  throw lastError;
}
