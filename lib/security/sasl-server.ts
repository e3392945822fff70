/**
 * One SASL exchange on the server side, whatever the mechanism: each client token gets the
 * next server token, until the exchange is done with an authenticated user name. A failure
 * is a SaslFailure whose message may be shown to the client: it never says whether the
 * user exists, and never carries a secret.
 */

export type SaslStep =
  | { readonly done: false; readonly challenge: Uint8Array }
  | { readonly done: true; readonly challenge: Uint8Array; readonly user: string };

export interface SaslServer {
  readonly mechanism: string;
  evaluate(token: Uint8Array): SaslStep | Promise<SaslStep>;
}

/**
 * Why an exchange failed: `credentials` (unknown user, wrong password, an authorization id
 * that is not the user), `malformed` (a message that breaks the mechanism's grammar or
 * order). Both get SASL_AUTHENTICATION_FAILED and a closed connection.
 */
export type SaslFailureKind = 'credentials' | 'malformed';

export class SaslFailure extends Error {
  override readonly name = 'SaslFailure';
  constructor(
    readonly kind: SaslFailureKind,
    /** Safe for the client and the logs: no secret, nothing that tells users apart. */
    readonly publicMessage: string,
  ) {
    super(publicMessage);
  }
}

/** Kafka's message for bad credentials (SaslServerAuthenticator), naming only the mechanism. */
export function invalidCredentials(mechanism: string): SaslFailure {
  return new SaslFailure(
    'credentials',
    `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
  );
}
