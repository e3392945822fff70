/**
 * What a throttled client is told (KIP-219): the response goes out at once with
 * `throttle_time_ms` set, and the connection is muted for that long. A throttled Fetch
 * carries no records, as Kafka answers it (an empty response the client skips), so bytes
 * over the quota are never sent; its bytes are taken back from the rate.
 */
import { fetchApi, type FetchResponse } from '../../../lib/kafka/gen/index.js';

/** ApiVersions and the SASL exchange are never counted against request_percentage. */
const REQUEST_QUOTA_EXEMPT = new Set([17, 18, 36]);

export function exemptFromRequestQuota(apiKey: number): boolean {
  return REQUEST_QUOTA_EXEMPT.has(apiKey);
}

/** The response to send instead of `response` when the client is throttled for `ms`. */
export function throttledResponse(apiKey: number, response: unknown, ms: number): unknown {
  if (apiKey === fetchApi.apiKey) {
    const fetch = response as FetchResponse;
    return {
      throttleTimeMs: Math.max(fetch.throttleTimeMs, ms),
      errorCode: 0,
      sessionId: fetch.sessionId,
      responses: [],
      nodeEndpoints: [],
    } satisfies FetchResponse;
  }
  if (typeof response === 'object' && response !== null && 'throttleTimeMs' in response) {
    if (typeof response.throttleTimeMs === 'number')
      response.throttleTimeMs = Math.max(response.throttleTimeMs, ms);
  }
  return response;
}
