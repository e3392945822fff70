/**
 * The SASL and TLS listeners of one in-process edge, driven by a raw client (exact bytes:
 * wrong order, oversized and malformed tokens, the legacy v0 flow, re-authentication) and
 * by kafkajs over SASL_SSL with PLAIN and SCRAM-SHA-256. Every refusal closes only its own
 * connection; the edge keeps serving.
 */
import { connect as tlsConnect } from 'node:tls';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticClusterView, type ListenerAddress } from '../../../../edge/src/cluster-view.js';
import { buildRegistry } from '../../../../edge/src/edge.js';
import { FixedStorageClients } from '../../../../edge/src/routing/storage-clients.js';
import {
  startKafkaListeners,
  type KafkaListeners,
} from '../../../../edge/src/server/kafka-listeners.js';
import type { ListenerConfig } from '../../../../lib/config/listeners.js';
import type { SecurityConfig } from '../../../../lib/config/security-config.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import {
  apiVersionsApi,
  defaultApiVersionsRequest,
  defaultMetadataRequest,
  metadataApi,
  saslAuthenticateApi,
  saslHandshakeApi,
  type MetadataResponse,
  type SaslAuthenticateResponse,
  type SaslHandshakeResponse,
} from '../../../../lib/kafka/gen/index.js';
import { credentialFromPassword } from '../../../../lib/security/scram/scram-credential.js';
import { SCRAM_SHA_256, SCRAM_SHA_512 } from '../../../../lib/security/scram/scram-mechanism.js';
import { RawKafkaClient } from '../../../support/raw-kafka-client.js';
import { makeTestCertificates, type TestCertificates } from '../../../support/test-certificates.js';
import { ScramTestClient } from '../../lib/security/scram-test-client.js';
import { encodeRequestFrame } from '../../../../lib/kafka/protocol/request-frame.js';
import { rfc2253Subject } from '../../../../lib/security/tls-principal.js';

const PASSWORD = 'Pl4nted-Secret-7731';
let certs: TestCertificates;
let edge: KafkaListeners;
let metrics: Registry;
const self = {
  nodeId: 0,
  host: '127.0.0.1',
  port: 0,
  rack: null,
  listeners: [] as ListenerAddress[],
};
const credentials = new Map([
  [`alice/${SCRAM_SHA_256.name}`, credentialFromPassword(SCRAM_SHA_256, PASSWORD, 4096)],
  [`alice/${SCRAM_SHA_512.name}`, credentialFromPassword(SCRAM_SHA_512, PASSWORD, 4096)],
]);

const listener = (name: string, protocol: ListenerConfig['protocol']): ListenerConfig => ({
  name,
  protocol,
  listen: { host: '127.0.0.1', port: 0 },
  advertised: undefined,
});

function port(name: string): number {
  const l = edge.listeners.find((x) => x.name === name);
  if (l === undefined) throw new Error(`no listener ${name}`);
  return l.port;
}

async function startEdge(
  security: SecurityConfig,
  configs: ListenerConfig[],
): Promise<KafkaListeners> {
  return startKafkaListeners(configs, security, {
    registry: buildRegistry({
      cluster: new StaticClusterView('sec-cluster', self),
      storage: new FixedStorageClients(new Map()),
    }),
    limits: { maxRequestBytes: 1024 * 1024, inflightBytes: 4 * 1024 * 1024 },
    metrics,
    scram: (user, m) => credentials.get(`${user}/${m.name}`),
    log: pino({ level: 'silent' }),
  });
}

beforeAll(async () => {
  certs = makeTestCertificates();
  const users = join(certs.dir, 'users');
  writeFileSync(users, `alice:${PASSWORD}\n`);
  metrics = new Registry();
  edge = await startEdge(
    {
      tls: {
        certFile: certs.serverCert,
        keyFile: certs.serverKey,
        caFile: undefined,
        clientAuth: 'none',
      },
      sasl: {
        mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
        plainUsersFile: users,
        maxReauthMs: 0,
      },
      reloadIntervalMs: 100,
    },
    [
      listener('INSIDE', 'PLAINTEXT'),
      listener('SASL_PLAINTEXT', 'SASL_PLAINTEXT'),
      listener('SASL_SSL', 'SASL_SSL'),
    ],
  );
  self.port = edge.listeners[0]?.port ?? 0;
  self.listeners = edge.listeners.map(({ name, host, port: p }) => ({ name, host, port: p }));
});

afterAll(async () => {
  await edge.close();
  certs.remove();
});

const plainToken = (user: string, password: string) => Buffer.from(`\0${user}\0${password}`);

async function saslClient(mechanism: string, version = 1): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port('SASL_PLAINTEXT'));
  const hs = await client.request<SaslHandshakeResponse>(saslHandshakeApi, version, { mechanism });
  expect(hs.errorCode).toBe(0);
  return client;
}

async function metadata(client: RawKafkaClient): Promise<MetadataResponse> {
  return client.request<MetadataResponse>(metadataApi, 12, {
    ...defaultMetadataRequest(),
    topics: [],
  });
}

async function counter(outcome: string, mechanism: string): Promise<number> {
  const m = await metrics.getSingleMetric('kafscale_sasl_authentications_total')?.get();
  return (
    m?.values.find((v) => v.labels.outcome === outcome && v.labels.mechanism === mechanism)
      ?.value ?? 0
  );
}

describe('a SASL listener', () => {
  it('closes a connection that sends anything but ApiVersions or SaslHandshake first', async () => {
    const client = await RawKafkaClient.connect(port('SASL_PLAINTEXT'));
    const versions = await client.request<{ errorCode: number }>(apiVersionsApi, 3, {
      ...defaultApiVersionsRequest(),
      clientSoftwareName: 't',
      clientSoftwareVersion: '1',
    });
    expect(versions.errorCode).toBe(0);
    await expect(metadata(client)).rejects.toThrow(/closed/);
    const early = await RawKafkaClient.connect(port('SASL_PLAINTEXT'));
    await expect(
      early.request(saslAuthenticateApi, 1, { authBytes: plainToken('alice', PASSWORD) }),
    ).rejects.toThrow(/closed/);
  });

  it('answers an unknown mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled ones, then closes', async () => {
    const client = await RawKafkaClient.connect(port('SASL_PLAINTEXT'));
    const hs = await client.request<SaslHandshakeResponse>(saslHandshakeApi, 1, {
      mechanism: 'GSSAPI',
    });
    expect(hs).toEqual({
      errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM,
      mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'],
    });
    await client.closed;
  });

  it('fails a wrong password and an unknown user with the same error, closes, counts', async () => {
    const before = await counter('failure', 'PLAIN');
    const messages: (string | null)[] = [];
    for (const user of ['alice', 'nobody']) {
      const client = await saslClient('PLAIN');
      const res = await client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 2, {
        authBytes: plainToken(user, 'wrong-password'),
      });
      expect(res.errorCode).toBe(KafkaError.SASL_AUTHENTICATION_FAILED);
      messages.push(res.errorMessage);
      await client.closed;
    }
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).not.toMatch(/alice|nobody/);
    expect((await counter('failure', 'PLAIN')) - before).toBe(2);
  });

  it('authenticates PLAIN (KIP-152) and then serves every API', async () => {
    const client = await saslClient('PLAIN');
    const res = await client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 1, {
      authBytes: plainToken('alice', PASSWORD),
    });
    expect(res).toMatchObject({ errorCode: 0, sessionLifetimeMs: 0n });
    const md = await metadata(client);
    expect(md.brokers[0]?.port).toBe(port('SASL_PLAINTEXT'));
    // A second SaslAuthenticate after success is ILLEGAL_SASL_STATE, as Kafka answers it.
    const again = await client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 1, {
      authBytes: Buffer.alloc(0),
    });
    expect(again.errorCode).toBe(KafkaError.ILLEGAL_SASL_STATE);
    client.close();
  });

  it('authenticates SCRAM-SHA-512 in two SaslAuthenticate rounds, the server proving itself', async () => {
    const client = await saslClient('SCRAM-SHA-512');
    const scram = new ScramTestClient(SCRAM_SHA_512, 'alice', PASSWORD);
    const first = await client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 2, {
      authBytes: Buffer.from(scram.clientFirst),
    });
    expect(first.errorCode).toBe(0);
    const final = await client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 2, {
      authBytes: Buffer.from(scram.final(Buffer.from(first.authBytes).toString())),
    });
    expect(final.errorCode).toBe(0);
    expect(scram.verifiesServer(Buffer.from(final.authBytes).toString())).toBe(true);
    expect((await metadata(client)).brokers.length).toBe(1);
    client.close();
  });

  it('carries the legacy flow: SaslHandshake v0, then raw tokens', async () => {
    const client = await saslClient('PLAIN', 0);
    const token = plainToken('alice', PASSWORD);
    const frame = Buffer.alloc(4 + token.length);
    frame.writeInt32BE(token.length);
    token.copy(frame, 4);
    client.write(frame);
    expect((await client.nextFrame()).length).toBe(0);
    expect((await metadata(client)).brokers.length).toBe(1);
    client.close();
  });

  it('closes on an oversized token before authentication, and on fuzzed SASL traffic, and keeps serving', async () => {
    const big = await saslClient('PLAIN');
    const size = Buffer.alloc(4);
    size.writeInt32BE(600 * 1024);
    big.write(size);
    await big.closed;
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let round = 0; round < 40; round++) {
      const mechanism = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'][round % 3] ?? 'PLAIN';
      const client = await saslClient(mechanism, round % 2);
      const junk = Buffer.from(Array.from({ length: rnd() % 300 }, () => rnd() & 0xff));
      if (round % 2 === 0) {
        const frame = Buffer.alloc(4 + junk.length);
        frame.writeInt32BE(junk.length);
        junk.copy(frame, 4);
        client.write(frame);
      } else {
        client.write(client.frame(saslAuthenticateApi, 1, { authBytes: junk }).bytes);
        // The answer (SASL_AUTHENTICATION_FAILED, or a first SCRAM challenge to junk that
        // parses) may come; then more junk, after which the connection is gone.
        client.write(Buffer.from([0, 0, 0, 5, 1, 2, 3, 4, 5]));
      }
      await client.closed;
    }
    const ok = await saslClient('PLAIN');
    const res = await ok.request<SaslAuthenticateResponse>(saslAuthenticateApi, 1, {
      authBytes: plainToken('alice', PASSWORD),
    });
    expect(res.errorCode).toBe(0);
    ok.close();
  });

  it('answers SaslHandshake on a listener without SASL with ILLEGAL_SASL_STATE', async () => {
    const client = await RawKafkaClient.connect(port('INSIDE'));
    const hs = await client.request<SaslHandshakeResponse>(saslHandshakeApi, 1, {
      mechanism: 'PLAIN',
    });
    expect(hs.errorCode).toBe(KafkaError.ILLEGAL_SASL_STATE);
    expect((await metadata(client)).brokers[0]?.port).toBe(port('INSIDE'));
    client.close();
  });
});

describe('re-authentication (KIP-368)', () => {
  it('tells the session lifetime, re-authenticates on the connection, closes an expired one', async () => {
    const users = join(certs.dir, 'users');
    const short = await startEdge(
      {
        tls: undefined,
        sasl: { mechanisms: ['PLAIN'], plainUsersFile: users, maxReauthMs: 300 },
        reloadIntervalMs: 100,
      },
      [listener('SASL_PLAINTEXT', 'SASL_PLAINTEXT')],
    );
    const p = short.listeners[0]?.port ?? 0;
    const login = async (client: RawKafkaClient) => {
      await client.request(saslHandshakeApi, 1, { mechanism: 'PLAIN' });
      return client.request<SaslAuthenticateResponse>(saslAuthenticateApi, 1, {
        authBytes: plainToken('alice', PASSWORD),
      });
    };
    const renewed = await RawKafkaClient.connect(p);
    expect((await login(renewed)).sessionLifetimeMs).toBe(300n);
    const expired = await RawKafkaClient.connect(p);
    await login(expired);
    await new Promise((r) => setTimeout(r, 200));
    expect((await login(renewed)).errorCode).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await metadata(renewed)).brokers.length).toBe(1);
    await expect(metadata(expired)).rejects.toThrow(/closed/);
    renewed.close();
    await short.close();
  });
});

describe('a SASL_SSL listener with real clients', () => {
  const kafka = (mechanism: 'plain' | 'scram-sha-256', password: string) =>
    new Kafka({
      clientId: 'sec-test',
      brokers: [`127.0.0.1:${port('SASL_SSL')}`],
      ssl: { ca: [readFileSync(certs.caCert, 'utf8')], servername: 'localhost' },
      sasl:
        mechanism === 'plain'
          ? { mechanism, username: 'alice', password }
          : { mechanism, username: 'alice', password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      connectionTimeout: 3000,
    });

  it.each(['plain', 'scram-sha-256'] as const)(
    'kafkajs %s over TLS gets in and sees the SASL_SSL address',
    async (mechanism) => {
      const admin = kafka(mechanism, PASSWORD).admin();
      await admin.connect();
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: port('SASL_SSL') }]);
      await admin.disconnect();
    },
  );

  it('kafkajs with a wrong password is refused', async () => {
    const admin = kafka('scram-sha-256', 'not-it').admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|authentication/i);
    await admin.disconnect();
  });

  it('refuses a plaintext client on the TLS port and counts the failed handshake', async () => {
    const client = await RawKafkaClient.connect(port('SASL_SSL'));
    client.write(client.frame(saslHandshakeApi, 1, { mechanism: 'PLAIN' }).bytes);
    await client.closed;
    const m = await metrics.getSingleMetric('kafscale_tls_handshake_failures_total')?.get();
    expect(m?.values.find((v) => v.labels.listener === 'SASL_SSL')?.value ?? 0).toBeGreaterThan(0);
  });
});

describe('client certificates (SSL, clientAuth required)', () => {
  it('names the principal by the whole subject, most specific first, as Kafka does', () => {
    expect(rfc2253Subject('C=NL\nO=Kafscale Test\nCN=alice')).toBe('CN=alice,O=Kafscale Test,C=NL');
  });

  it('serves a client with a trusted certificate and refuses an untrusted one', async () => {
    const mtls = await startEdge(
      {
        tls: {
          certFile: certs.serverCert,
          keyFile: certs.serverKey,
          caFile: certs.caCert,
          clientAuth: 'required',
        },
        sasl: { mechanisms: ['SCRAM-SHA-256'], plainUsersFile: undefined, maxReauthMs: 0 },
        reloadIntervalMs: 100,
      },
      [listener('SSL', 'SSL')],
    );
    const p = mtls.listeners[0]?.port ?? 0;
    const handshake = (cert: string, key: string) =>
      new Promise<boolean>((resolve) => {
        const socket = tlsConnect({
          host: '127.0.0.1',
          port: p,
          ca: readFileSync(certs.caCert),
          cert: readFileSync(cert),
          key: readFileSync(key),
          servername: 'localhost',
        });
        socket.once('secureConnect', () => {
          // TLS 1.3: the server's verdict on the client certificate comes after this.
          socket.write(
            encodeRequestFrame(apiVersionsApi, 0, 1, 'mtls', defaultApiVersionsRequest()),
          );
        });
        socket.once('data', () => {
          resolve(true);
        });
        socket.once('error', () => {
          resolve(false);
        });
        socket.once('close', () => {
          resolve(false);
        });
        setTimeout(() => {
          socket.destroy();
          resolve(false);
        }, 2000);
      });
    expect(await handshake(certs.clientCert, certs.clientKey)).toBe(true);
    expect(await handshake(certs.rogueCert, certs.rogueKey)).toBe(false);
    await mtls.close();
  });
});
