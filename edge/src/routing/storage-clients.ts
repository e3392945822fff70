/**
 * How an edge reaches storage nodes: one gRPC client per storage node, by id. The
 * production implementation dials each node's advertised address over HTTP/2; the
 * embedded mode and tests hand in clients over an in-memory transport.
 */
import type { Client } from '@connectrpc/connect';
import type { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';

export type StorageClient = Client<typeof StorageService>;

export interface StorageClients {
  /** The client for a storage node, or undefined when the node is unknown. */
  get(storageNodeId: string): StorageClient | undefined;
}

export class FixedStorageClients implements StorageClients {
  constructor(private readonly clients: ReadonlyMap<string, StorageClient>) {}

  get(storageNodeId: string): StorageClient | undefined {
    return this.clients.get(storageNodeId);
  }
}
