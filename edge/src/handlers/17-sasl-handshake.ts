/**
 * SaslHandshake (key 17): the client names the SASL mechanism it will use; the answer lists
 * the enabled ones (KAFSCALE_SASL_ENABLED_MECHANISMS).
 *
 * v0: the SASL tokens that follow are raw size-prefixed frames, not Kafka requests (the
 * legacy flow, which the connection carries). v1: they travel in SaslAuthenticate requests
 * (KIP-152). On a listener without SASL, or after authentication by a client that cannot
 * re-authenticate, the answer is ILLEGAL_SASL_STATE, as Kafka gives it; an unknown mechanism
 * gets UNSUPPORTED_SASL_MECHANISM and the connection closes after the answer.
 */
import {
  saslHandshakeApi,
  type SaslHandshakeRequest,
  type SaslHandshakeResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { KafkaHandler } from './kafka-handler.js';

export function saslHandshakeHandler(): KafkaHandler<SaslHandshakeRequest, SaslHandshakeResponse> {
  return {
    api: saslHandshakeApi,
    minVersion: 0,
    maxVersion: 1,
    handle(request, ctx) {
      if (ctx.auth === undefined)
        return { errorCode: KafkaError.ILLEGAL_SASL_STATE, mechanisms: [] };
      return ctx.auth.handshake(request.mechanism, ctx.apiVersion);
    },
  };
}
