/**
 * Who is at the other end of one Kafka connection, and what it may send before it has
 * proven it: the SASL state machine of Kafka's SaslServerAuthenticator.
 *
 * - PLAINTEXT and SSL listeners: open from the start; the principal is `User:ANONYMOUS`, or
 *   the client certificate's subject on SSL with client authentication.
 * - SASL listeners: ApiVersions and SaslHandshake first; after a v1 handshake only
 *   SaslAuthenticate (KIP-152), after a v0 handshake raw SASL tokens (the legacy flow);
 *   anything else closes the connection. A failed authentication answers
 *   SASL_AUTHENTICATION_FAILED (never saying whether the user exists), is logged once
 *   without secrets and counted, and closes the connection.
 * - With KAFSCALE_SASL_MAX_REAUTH_MS, a session lasts that long (told to v1+ clients as
 *   session_lifetime_ms, KIP-368); a client re-authenticates with SaslHandshake and
 *   SaslAuthenticate on the same connection (same mechanism and user), and a request that
 *   arrives after expiry closes the connection, as Kafka does.
 */
import {
  defaultSaslAuthenticateResponse,
  saslAuthenticateApi,
  saslHandshakeApi,
  apiVersionsApi,
  type SaslAuthenticateResponse,
  type SaslHandshakeResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { Logger } from '../../../lib/log/logger.js';
import { SaslFailure, type SaslServer } from '../../../lib/security/sasl-server.js';

export { ANONYMOUS } from '../../../lib/security/tls-principal.js';

/** Largest frame a SASL listener reads before authentication (Kafka's sasl.server.max.receive.size). */
export const MAX_UNAUTHENTICATED_FRAME_BYTES = 524_288;

export type AuthOutcome = 'success' | 'failure';

export interface SaslSettings {
  /** Enabled mechanisms, as SaslHandshake lists them. */
  readonly mechanisms: readonly string[];
  /** A fresh server for one exchange of an enabled mechanism. */
  create(mechanism: string): SaslServer;
  /** 0: sessions last as long as the connection. */
  readonly maxReauthMs: number;
  /** Counts every finished authentication (kafscale_sasl_authentications_total). */
  readonly onAuthentication?: (mechanism: string, outcome: AuthOutcome) => void;
}

type State =
  | 'open'
  | 'handshake'
  | 'authenticate'
  | 'legacy-token'
  | 'authenticated'
  | 'reauthenticate'
  | 'failed';

const API_VERSIONS = apiVersionsApi.apiKey;
const HANDSHAKE = saslHandshakeApi.apiKey;
const AUTHENTICATE = saslAuthenticateApi.apiKey;

function authenticateError(errorCode: number, errorMessage: string): SaslAuthenticateResponse {
  return { ...defaultSaslAuthenticateResponse(), errorCode, errorMessage };
}

export class ConnectionAuth {
  private state: State;
  private server: SaslServer | undefined;
  private mechanism: string | undefined;
  private currentPrincipal: string;
  /** SaslAuthenticate version of the last successful authentication (v1+ can re-authenticate). */
  private authenticateVersion = -1;
  private expiresAt: number | undefined;
  private closeReason: string | undefined;

  constructor(
    initialPrincipal: string,
    private readonly sasl: SaslSettings | undefined,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.currentPrincipal = initialPrincipal;
    this.state = sasl === undefined ? 'open' : 'handshake';
  }

  get principal(): string {
    return this.currentPrincipal;
  }

  get authenticated(): boolean {
    return (
      this.state === 'open' || this.state === 'authenticated' || this.state === 'reauthenticate'
    );
  }

  /** Frames must be taken one at a time (Kafka mutes a connection while it authenticates). */
  get serial(): boolean {
    return this.state !== 'open' && this.state !== 'authenticated';
  }

  /** After a v0 handshake the next frames are raw SASL tokens, not Kafka requests. */
  get expectsRawToken(): boolean {
    return this.state === 'legacy-token';
  }

  /** Set once the connection must close after the response now being sent. */
  get mustClose(): string | undefined {
    return this.closeReason;
  }

  /** Null when a request of `apiKey` may be handled now; else why the connection closes. */
  admit(apiKey: number): string | null {
    switch (this.state) {
      case 'open':
        return null;
      case 'failed':
        return 'authentication failed';
      case 'handshake':
        return apiKey === API_VERSIONS || apiKey === HANDSHAKE
          ? null
          : `request of API key ${apiKey} before SASL authentication`;
      case 'authenticate':
      case 'reauthenticate':
        return apiKey === AUTHENTICATE
          ? null
          : `request of API key ${apiKey} during SASL authentication`;
      case 'legacy-token':
        return 'Kafka request where a SASL token was expected';
      case 'authenticated':
        if (this.expiresAt !== undefined && this.now() >= this.expiresAt && apiKey !== HANDSHAKE)
          return 'SASL session expired';
        return null;
    }
  }

  handshake(mechanism: string, version: number): SaslHandshakeResponse {
    const mechanisms = [...(this.sasl?.mechanisms ?? [])];
    const illegal = { errorCode: KafkaError.ILLEGAL_SASL_STATE, mechanisms };
    if (this.sasl === undefined) return illegal;
    if (this.state === 'authenticated') {
      // KIP-368: only a client that authenticated with SaslAuthenticate v1+ re-authenticates.
      if (this.authenticateVersion < 1) return illegal;
      if (mechanism !== this.mechanism) {
        this.fail('re-authentication must use the same SASL mechanism');
        return illegal;
      }
      this.server = this.sasl.create(mechanism);
      this.state = 'reauthenticate';
      return { errorCode: KafkaError.NONE, mechanisms };
    }
    if (this.state !== 'handshake') return illegal;
    if (!this.sasl.mechanisms.includes(mechanism)) {
      this.fail('unsupported SASL mechanism');
      return { errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM, mechanisms };
    }
    this.mechanism = mechanism;
    this.server = this.sasl.create(mechanism);
    this.state = version === 0 ? 'legacy-token' : 'authenticate';
    return { errorCode: KafkaError.NONE, mechanisms };
  }

  async authenticate(token: Uint8Array, version: number): Promise<SaslAuthenticateResponse> {
    if (this.state !== 'authenticate' && this.state !== 'reauthenticate')
      return authenticateError(
        KafkaError.ILLEGAL_SASL_STATE,
        'SaslAuthenticate request received after successful authentication',
      );
    try {
      const { challenge, done } = await this.step(token, version);
      return {
        ...defaultSaslAuthenticateResponse(),
        authBytes: challenge,
        errorMessage: null,
        sessionLifetimeMs: done ? BigInt(this.sasl?.maxReauthMs ?? 0) : 0n,
      };
    } catch (e) {
      if (!(e instanceof SaslFailure)) throw e;
      return authenticateError(KafkaError.SASL_AUTHENTICATION_FAILED, e.publicMessage);
    }
  }

  /** The legacy flow's next server token; a SaslFailure closes the connection. */
  async rawToken(token: Uint8Array): Promise<Uint8Array> {
    return (await this.step(token, 0)).challenge;
  }

  private async step(
    token: Uint8Array,
    version: number,
  ): Promise<{ challenge: Uint8Array; done: boolean }> {
    const server = this.server;
    const mechanism = this.mechanism ?? '';
    if (server === undefined) throw new SaslFailure('malformed', 'no SASL exchange in progress');
    try {
      const step = await server.evaluate(token);
      if (!step.done) return { challenge: step.challenge, done: false };
      const principal = `User:${step.user}`;
      if (this.state === 'reauthenticate' && principal !== this.currentPrincipal)
        throw new SaslFailure('credentials', 'Cannot change principals during re-authentication');
      this.currentPrincipal = principal;
      this.authenticateVersion = version;
      this.state = 'authenticated';
      this.server = undefined;
      const lifetime = this.sasl?.maxReauthMs ?? 0;
      this.expiresAt = lifetime > 0 ? this.now() + lifetime : undefined;
      this.sasl?.onAuthentication?.(mechanism, 'success');
      this.log.debug({ mechanism, principal }, 'SASL authentication succeeded');
      return { challenge: step.challenge, done: true };
    } catch (e) {
      if (e instanceof SaslFailure) {
        this.sasl?.onAuthentication?.(mechanism, 'failure');
        // One line, no user name, no token: the message is the one the client gets.
        this.log.warn(
          { mechanism, reason: e.kind, error: e.publicMessage },
          'SASL authentication failed',
        );
        this.fail('SASL authentication failed');
      }
      throw e;
    }
  }

  private fail(reason: string): void {
    this.state = 'failed';
    this.server = undefined;
    this.closeReason = reason;
  }
}
