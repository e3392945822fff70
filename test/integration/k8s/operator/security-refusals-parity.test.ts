/**
 * Security values an edge would refuse at start-up are refused before anything is made, by
 * the chart (`helm template` fails) and by the operator (`validateCluster`: Ready=False,
 * InvalidSpec) alike, with the same reason naming the same value (the operator's under
 * `spec.`). Each case changes one thing in otherwise valid values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSettings } from '../../../../lib/operator/cluster/cluster-spec.js';
import { validateCluster } from '../../../../lib/operator/cluster/validate-cluster.js';
import { makeTempDir, removeDir } from '../../../fixtures/processes.js';
import { parseObjects, template, templateFailure } from '../rendered.js';

let dir: string;
beforeAll(() => {
  dir = makeTempDir('security-refusals');
});
afterAll(() => {
  removeDir(dir);
});

const internal = { name: 'INTERNAL', protocol: 'PLAINTEXT', port: 9092, external: true };
const tlsListener = { name: 'SECURE', protocol: 'SASL_SSL', port: 9094, external: true };
const saslListener = { name: 'SASL', protocol: 'SASL_PLAINTEXT', port: 9096 };
const tlsSecret = { name: 'edge-tls' };
const scram = { enabledMechanisms: ['SCRAM-SHA-256'], plainUsersSecretRef: null, maxReauthMs: 0 };

function valuesFile(v: object): string {
  const file = join(dir, `values-${Date.now()}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(v));
  return file;
}

function values(security: object, edge: object = {}) {
  return {
    edge,
    security: {
      listeners: [internal],
      tls: { secretRef: null, clientAuth: 'none' },
      sasl: scram,
      ...security,
    },
  };
}

const CASES: [string, object][] = [
  ['an SSL listener without a TLS Secret', values({ listeners: [internal, tlsListener] })],
  [
    'a TLS Secret without a TLS listener',
    values({ tls: { secretRef: tlsSecret, clientAuth: 'none' } }),
  ],
  [
    'client certificates without a CA',
    values({ listeners: [tlsListener], tls: { secretRef: tlsSecret, clientAuth: 'required' } }),
  ],
  [
    'PLAIN without a users file',
    values({
      listeners: [tlsListener],
      tls: { secretRef: tlsSecret, clientAuth: 'none' },
      sasl: { ...scram, enabledMechanisms: ['PLAIN'] },
    }),
  ],
  [
    'a users file without PLAIN',
    values({
      listeners: [internal, saslListener],
      sasl: { ...scram, plainUsersSecretRef: { name: 'users' } },
    }),
  ],
  [
    'a users file without a SASL listener',
    values({
      sasl: { ...scram, enabledMechanisms: ['PLAIN'], plainUsersSecretRef: { name: 'users' } },
    }),
  ],
  ['a listener name twice', values({ listeners: [internal, { ...internal, port: 9093 }] })],
  ['two listeners on one port', values({ listeners: [internal, { ...internal, name: 'OTHER' }] })],
  ['no external listener', values({ listeners: [{ ...internal, external: false }] })],
  [
    'the single-address mode with listeners',
    values({}, { singleAddress: { enabled: true, advertisedAddr: 'lb:9092' } }),
  ],
];

describe('security values refused by the chart and the operator alike', () => {
  it.each(CASES)('%s', async (_what, v) => {
    const problems = validateCluster(clusterSettings(v));
    expect(problems).toHaveLength(1);
    const chartMessage = await templateFailure(['-f', valuesFile(v)]);
    expect(chartMessage).toContain((problems[0] ?? '').replace(/^spec\./, ''));
  });

  it('the base of the cases is accepted by both', async () => {
    const base = values({ listeners: [internal, saslListener] });
    expect(validateCluster(clusterSettings(base))).toEqual([]);
    expect(parseObjects(await template(['-f', valuesFile(base)])).length).toBeGreaterThan(10);
  });
});
