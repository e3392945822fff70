/**
 * The server side of one SCRAM exchange (RFC 5802 section 5): client-first gets
 * server-first (the client's nonce extended with ours, the salt, the iteration count);
 * client-final is checked (channel binding, the combined nonce, then the proof against
 * StoredKey, compared in constant time) and gets server-final with ServerSignature.
 *
 * An unknown user gets a made-up salt (stable per name, from a per-process secret) and fails
 * at the final step exactly like a wrong password, so neither the answer nor the step at
 * which it fails tells whether the user exists.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidCredentials, SaslFailure, type SaslServer, type SaslStep } from '../sasl-server.js';
import { hash, hmac, type ScramCredential } from './scram-credential.js';
import {
  parseClientFinal,
  parseClientFirst,
  ScramMessageError,
  serverFinalMessage,
  serverFirstMessage,
  type ClientFirstMessage,
} from './scram-messages.js';
import { MIN_SCRAM_ITERATIONS, type ScramMechanism } from './scram-mechanism.js';

export type ScramLookup = (user: string, mechanism: ScramMechanism) => ScramCredential | undefined;

export interface ScramServerOptions {
  /** Secret for unknown users' made-up salts; random per process when absent. */
  readonly mockSecret?: Uint8Array;
  /** The server's nonce part (tests fix it); 24 random bytes in base64 by default. */
  readonly serverNonce?: () => string;
}

const processMockSecret = randomBytes(32);

interface AwaitingFinal {
  readonly first: ClientFirstMessage;
  readonly serverFirst: string;
  readonly nonce: string;
  readonly credential: ScramCredential;
  readonly known: boolean;
}

export class ScramServer implements SaslServer {
  readonly mechanism: string;
  private awaiting: AwaitingFinal | undefined;
  private finished = false;

  constructor(
    private readonly m: ScramMechanism,
    private readonly lookup: ScramLookup,
    private readonly options: ScramServerOptions = {},
  ) {
    this.mechanism = m.name;
  }

  evaluate(token: Uint8Array): SaslStep {
    try {
      if (this.finished) throw new SaslFailure('malformed', 'SCRAM exchange already finished');
      return this.awaiting === undefined ? this.onFirst(token) : this.onFinal(token, this.awaiting);
    } catch (e) {
      this.finished = true;
      if (e instanceof ScramMessageError)
        throw new SaslFailure(
          'malformed',
          `Authentication failed: invalid SCRAM message (${e.message})`,
        );
      throw e;
    }
  }

  private onFirst(token: Uint8Array): SaslStep {
    const first = parseClientFirst(token);
    if (first.authzid !== undefined && first.authzid !== first.username)
      throw new SaslFailure(
        'credentials',
        'Authentication failed: Client requested an authorization id that is different from username',
      );
    if (first.extensions.get('tokenauth')?.toLowerCase() === 'true')
      throw invalidCredentials(this.m.name); // delegation tokens do not exist here
    const found = this.lookup(first.username, this.m);
    const credential = found ?? this.mockCredential(first.username);
    const nonce =
      first.clientNonce + (this.options.serverNonce?.() ?? randomBytes(24).toString('base64'));
    const serverFirst = serverFirstMessage(nonce, credential.salt, credential.iterations);
    this.awaiting = { first, serverFirst, nonce, credential, known: found !== undefined };
    return { done: false, challenge: Buffer.from(serverFirst, 'utf8') };
  }

  private onFinal(token: Uint8Array, a: AwaitingFinal): SaslStep {
    this.finished = true;
    const final = parseClientFinal(token);
    if (final.channelBinding !== Buffer.from(a.first.gs2Header, 'utf8').toString('base64'))
      throw new SaslFailure('malformed', 'Authentication failed: invalid SCRAM channel binding');
    if (final.nonce !== a.nonce)
      throw new SaslFailure('malformed', 'Authentication failed: invalid SCRAM nonce');
    const authMessage = `${a.first.bare},${a.serverFirst},${final.withoutProof}`;
    const clientSignature = hmac(this.m, a.credential.storedKey, authMessage);
    if (final.proof.length !== clientSignature.length) throw invalidCredentials(this.m.name);
    const clientKey = Buffer.alloc(clientSignature.length);
    for (let i = 0; i < clientKey.length; i++)
      clientKey[i] = (final.proof[i] ?? 0) ^ (clientSignature[i] ?? 0);
    const matches = timingSafeEqual(hash(this.m, clientKey), a.credential.storedKey);
    if (!matches || !a.known) throw invalidCredentials(this.m.name);
    const serverSignature = hmac(this.m, a.credential.serverKey, authMessage);
    return {
      done: true,
      challenge: Buffer.from(serverFinalMessage(serverSignature), 'utf8'),
      user: a.first.username,
    };
  }

  /** A credential no password matches, with a salt that is the same at every attempt. */
  private mockCredential(user: string): ScramCredential {
    const secret = this.options.mockSecret ?? processMockSecret;
    const salt = hmac(this.m, secret, `salt:${user}`);
    return {
      salt,
      iterations: MIN_SCRAM_ITERATIONS,
      storedKey: hmac(this.m, secret, `stored:${user}`),
      serverKey: hmac(this.m, secret, `server:${user}`),
    };
  }
}
