/**
 * SaslAuthenticate (key 36): one SASL token from the client, the server's next token back.
 *
 * v0: token in, token out (KIP-152). v1: the last answer carries session_lifetime_ms, the
 * time after which the client must re-authenticate (KIP-368, KAFSCALE_SASL_MAX_REAUTH_MS;
 * 0 when sessions do not expire). v2: flexible.
 * A failed exchange answers SASL_AUTHENTICATION_FAILED with a message that does not say
 * whether the user exists, and the connection closes after the answer. Outside an exchange
 * (no SASL on the listener, or already authenticated) the answer is ILLEGAL_SASL_STATE.
 */
import {
  defaultSaslAuthenticateResponse,
  saslAuthenticateApi,
  type SaslAuthenticateRequest,
  type SaslAuthenticateResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { KafkaHandler } from './kafka-handler.js';

export function saslAuthenticateHandler(): KafkaHandler<
  SaslAuthenticateRequest,
  SaslAuthenticateResponse
> {
  return {
    api: saslAuthenticateApi,
    minVersion: 0,
    maxVersion: 2,
    handle(request, ctx) {
      if (ctx.auth === undefined)
        return {
          ...defaultSaslAuthenticateResponse(),
          errorCode: KafkaError.ILLEGAL_SASL_STATE,
          errorMessage: 'SASL is not enabled on this listener',
        };
      return ctx.auth.authenticate(request.authBytes, ctx.apiVersion);
    },
  };
}
