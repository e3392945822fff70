/**
 * What every Kafka API handler is: the API it serves, the versions it supports, and a
 * function from a decoded request to a response. Kafka errors are data in the response;
 * a thrown error is a protocol violation or a bug, and closes the connection.
 */
import type { Logger } from '../../../lib/log/logger.js';
import type { ApiDefinition } from '../../../lib/kafka/protocol/codec-runtime.js';
import type { ConnectionAuth } from '../security/connection-auth.js';

export interface RequestContext {
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** The client's address as Apache Kafka shows it (`/` and the IP), when known. */
  readonly clientHost?: string;
  /** The name of the listener the client connected to (Metadata advertises its addresses). */
  readonly listener?: string;
  /** The connection's authentication (SaslHandshake, SaslAuthenticate, the principal). */
  readonly auth?: ConnectionAuth;
  readonly log: Logger;
}

export interface KafkaHandler<Req = unknown, Res = unknown> {
  readonly api: ApiDefinition<Req, Res>;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The response, or null when the request gets none (Produce with acks=0). */
  handle(request: Req, ctx: RequestContext): Res | null | Promise<Res | null>;
}

/** Erases a handler's message types for the registry. */
export function anyHandler<Req, Res>(h: KafkaHandler<Req, Res>): KafkaHandler {
  return h;
}
