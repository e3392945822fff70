/**
 * Runs a call's store work; an unreachable metadata store becomes gRPC UNAVAILABLE naming
 * the call, so callers (edges, operators' tools) retry. Shared by the controlplane's gRPC
 * services.
 */
import { Code, ConnectError } from '@connectrpc/connect';
import { MetadataStoreUnavailableError } from '../../../lib/stores/metadata-store.js';

export async function orUnavailable<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof MetadataStoreUnavailableError) {
      throw new ConnectError(`${what}: metadata store unavailable: ${e.message}`, Code.Unavailable);
    }
    throw e;
  }
}
