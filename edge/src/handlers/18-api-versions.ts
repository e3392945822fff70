/**
 * ApiVersions (key 18): the versions of every API this edge has a handler for.
 *
 * v0-v2: plain list of (key, min, max); v1+ adds throttle time.
 * v3: flexible; the client sends its software name and version (KIP-511).
 * v4: same shape as v3; a supported feature's min version may now be 0 (KAFKA-17011).
 * A request newer than we support is answered at v0 with UNSUPPORTED_VERSION and the full
 * list, so the client can retry at a version we know (see the connection's fallback).
 */
import {
  apiVersionsApi,
  defaultApiVersionsResponse,
  type ApiVersionsRequest,
  type ApiVersionsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { HandlerRegistry } from './handler-registry.js';
import type { KafkaHandler } from './kafka-handler.js';

export function advertisedApiKeys(registry: HandlerRegistry): ApiVersionsResponse['apiKeys'] {
  return registry.all().map((h) => ({
    apiKey: h.api.apiKey,
    minVersion: h.minVersion,
    maxVersion: h.maxVersion,
  }));
}

/** The v0 answer to an ApiVersions request at a version we do not support. */
export function unsupportedApiVersionsResponse(registry: HandlerRegistry): ApiVersionsResponse {
  return {
    ...defaultApiVersionsResponse(),
    errorCode: KafkaError.UNSUPPORTED_VERSION,
    apiKeys: advertisedApiKeys(registry),
  };
}

export function apiVersionsHandler(
  registry: HandlerRegistry,
): KafkaHandler<ApiVersionsRequest, ApiVersionsResponse> {
  return {
    api: apiVersionsApi,
    minVersion: 0,
    maxVersion: 4,
    handle(request, ctx) {
      const response: ApiVersionsResponse = {
        ...defaultApiVersionsResponse(),
        apiKeys: advertisedApiKeys(registry),
      };
      // v3+: the client's software name and version must be non-empty letters, digits, '.', '-' (KIP-511).
      const valid = /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;
      if (
        ctx.apiVersion >= 3 &&
        (!valid.test(request.clientSoftwareName) || !valid.test(request.clientSoftwareVersion))
      ) {
        return { ...response, errorCode: KafkaError.INVALID_REQUEST };
      }
      return response;
    },
  };
}
