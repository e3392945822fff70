import { describe, expect, it } from 'vitest';
import { SaslFailure } from '../../../../lib/security/sasl-server.js';
import { credentialFromPassword } from '../../../../lib/security/scram/scram-credential.js';
import {
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  type ScramMechanism,
} from '../../../../lib/security/scram/scram-mechanism.js';
import { ScramServer } from '../../../../lib/security/scram/scram-server.js';
import { ScramTestClient } from './scram-test-client.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const bytes = (s: string) => Buffer.from(s, 'utf8');

function failure(f: () => unknown): SaslFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof SaslFailure) return e;
    throw e;
  }
  throw new Error('expected a SaslFailure');
}

describe('ScramServer', () => {
  it('answers the RFC 7677 SCRAM-SHA-256 test vector byte for byte', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const credential = credentialFromPassword(SCRAM_SHA_256, 'pencil', 4096, salt);
    const server = new ScramServer(SCRAM_SHA_256, (u) => (u === 'user' ? credential : undefined), {
      serverNonce: () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    });
    const first = server.evaluate(bytes('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(first.done).toBe(false);
    expect(text(first.challenge)).toBe(
      'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    );
    const final = server.evaluate(
      bytes(
        'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      ),
    );
    expect(final).toMatchObject({ done: true, user: 'user' });
    expect(text(final.challenge)).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
  });

  it.each([SCRAM_SHA_256, SCRAM_SHA_512])(
    '%s: a client with the password gets in and can check the server',
    (m: ScramMechanism) => {
      const credential = credentialFromPassword(m, 's3cr3t-ö', 8192);
      const server = new ScramServer(m, (u, mech) =>
        u === 'alice' && mech === m ? credential : undefined,
      );
      const client = new ScramTestClient(m, 'alice', 's3cr3t-ö');
      const first = server.evaluate(bytes(client.clientFirst));
      expect(text(first.challenge)).toMatch(/,i=8192$/);
      const final = server.evaluate(bytes(client.final(text(first.challenge))));
      expect(final).toMatchObject({ done: true, user: 'alice' });
      expect(client.verifiesServer(text(final.challenge))).toBe(true);
    },
  );

  it('fails a wrong password and an unknown user the same way, at the same step', () => {
    const credential = credentialFromPassword(SCRAM_SHA_512, 'right', 4096);
    const lookup = (u: string) => (u === 'alice' ? credential : undefined);
    const messages = ['alice', 'mallory'].map((user) => {
      const server = new ScramServer(SCRAM_SHA_512, lookup);
      const client = new ScramTestClient(SCRAM_SHA_512, user, 'wrong');
      const first = server.evaluate(bytes(client.clientFirst));
      expect(first.done).toBe(false);
      const f = failure(() => server.evaluate(bytes(client.final(text(first.challenge)))));
      expect(f.kind).toBe('credentials');
      return f.publicMessage;
    });
    expect(messages[0]).toBe(messages[1]);
    expect(messages[0]).not.toMatch(/alice|mallory|exist/);
  });

  it('gives an unknown user the same made-up salt every time', () => {
    const salts = [0, 1].map(() => {
      const server = new ScramServer(SCRAM_SHA_256, () => undefined, { mockSecret: bytes('k') });
      return text(server.evaluate(bytes('n,,n=ghost,r=abc')).challenge).split(',')[1];
    });
    expect(salts[0]).toBe(salts[1]);
  });

  it('refuses a proof for another nonce, channel binding, an authzid of someone else', () => {
    const credential = credentialFromPassword(SCRAM_SHA_256, 'pw', 4096);
    const lookup = () => credential;
    const server = new ScramServer(SCRAM_SHA_256, lookup);
    const client = new ScramTestClient(SCRAM_SHA_256, 'a', 'pw');
    const first = text(server.evaluate(bytes(client.clientFirst)).challenge);
    const final = client.final(first).replace(/,r=[^,]+/, ',r=othernonce');
    expect(failure(() => server.evaluate(bytes(final))).kind).toBe('malformed');
    expect(
      failure(() => new ScramServer(SCRAM_SHA_256, lookup).evaluate(bytes('p=tls-unique,,n=a,r=x')))
        .kind,
    ).toBe('malformed');
    expect(
      failure(() => new ScramServer(SCRAM_SHA_256, lookup).evaluate(bytes('n,a=root,n=a,r=x')))
        .kind,
    ).toBe('credentials');
    expect(
      failure(() =>
        new ScramServer(SCRAM_SHA_256, lookup).evaluate(bytes('n,,n=a,r=x,tokenauth=true')),
      ).kind,
    ).toBe('credentials');
  });

  it('refuses a second exchange on a finished server', () => {
    const server = new ScramServer(SCRAM_SHA_256, () => undefined);
    expect(failure(() => server.evaluate(bytes('garbage'))).kind).toBe('malformed');
    expect(failure(() => server.evaluate(bytes('n,,n=a,r=x'))).kind).toBe('malformed');
  });

  it('fails every malformed or oversized message with a typed failure (fuzz)', () => {
    const credential = credentialFromPassword(SCRAM_SHA_256, 'pw', 4096);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const pieces = [
      'n',
      'y',
      'p=x',
      ',',
      '=',
      '=2C',
      '=3D',
      '=ZZ',
      'n=',
      'r=',
      'c=biws',
      'p=',
      'a=',
      '\0',
      'é',
      'm=1',
      'i=4096',
      'AAAA',
    ];
    for (let round = 0; round < 2000; round++) {
      const server = new ScramServer(SCRAM_SHA_256, () => credential);
      const len = next() % 12;
      let message = '';
      for (let i = 0; i < len; i++) message += pieces[next() % pieces.length] ?? '';
      const raw =
        round % 97 === 0
          ? Buffer.alloc(9000, 0x61)
          : round % 13 === 0
            ? Buffer.from([0xff, 0xfe, next() & 0xff])
            : bytes(message);
      for (let step = 0; step < 2; step++) {
        try {
          server.evaluate(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(SaslFailure);
          break;
        }
      }
    }
  });
});
