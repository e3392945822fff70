/** A minimal SCRAM client for the server's tests: RFC 5802's client steps, nothing more. */
import { timingSafeEqual } from 'node:crypto';
import {
  clientKeyOf,
  hash,
  hmac,
  saltedPassword,
} from '../../../../lib/security/scram/scram-credential.js';
import type { ScramMechanism } from '../../../../lib/security/scram/scram-mechanism.js';

export class ScramTestClient {
  readonly clientFirst: string;
  private authMessage = '';
  private salted: Buffer = Buffer.alloc(0);

  constructor(
    private readonly m: ScramMechanism,
    private readonly user: string,
    private readonly password: string,
    private readonly clientNonce = 'fyko+d2lbbFgONRv9qkxdawL',
  ) {
    this.clientFirst = `n,,n=${user},r=${clientNonce}`;
  }

  /** client-final for a server-first, with the proof for `password` (or a wrong one). */
  final(serverFirst: string, password = this.password): string {
    const attrs = new Map(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
    const nonce = attrs.get('r') ?? '';
    const salt = Buffer.from(attrs.get('s') ?? '', 'base64');
    const iterations = Number(attrs.get('i'));
    this.salted = saltedPassword(this.m, password, salt, iterations);
    const withoutProof = `c=biws,r=${nonce}`;
    this.authMessage = `n=${this.user},r=${this.clientNonce},${serverFirst},${withoutProof}`;
    const clientKey = clientKeyOf(this.m, this.salted);
    const signature = hmac(this.m, hash(this.m, clientKey), this.authMessage);
    const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] ?? 0)));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Whether server-final carries the signature only the holder of ServerKey can make. */
  verifiesServer(serverFinal: string): boolean {
    const expected = hmac(this.m, hmac(this.m, this.salted, 'Server Key'), this.authMessage);
    const got = Buffer.from(serverFinal.replace(/^v=/, ''), 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  }
}
