/**
 * How an edge reaches storage nodes: one gRPC client per storage node, by id. The
 * production implementation dials each node's advertised address over HTTP/2; the
 * embedded mode and tests hand in clients over an in-memory transport.
 */
import type { Client } from '@connectrpc/connect';
import type { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { AppendChannel } from './append-channel.js';

export type StorageClient = Client<typeof StorageService>;

export interface StorageClients {
  /** The client for a storage node, or undefined when the node is unknown. */
  get(storageNodeId: string): StorageClient | undefined;
  /** The append stream to a storage node (one per node), or undefined when it is unknown. */
  appender(storageNodeId: string): AppendChannel | undefined;
  /** Every storage node known to be live (any of them serves committed data). */
  nodeIds(): readonly string[];
}

/** Keeps one AppendChannel per storage node client. */
export class AppendChannels {
  private readonly channels = new WeakMap<StorageClient, AppendChannel>();

  for(client: StorageClient): AppendChannel {
    let channel = this.channels.get(client);
    if (channel === undefined) {
      channel = new AppendChannel(client);
      this.channels.set(client, channel);
    }
    return channel;
  }
}

export class FixedStorageClients implements StorageClients {
  private readonly channels = new AppendChannels();

  constructor(private readonly clients: ReadonlyMap<string, StorageClient>) {}

  get(storageNodeId: string): StorageClient | undefined {
    return this.clients.get(storageNodeId);
  }

  nodeIds(): readonly string[] {
    return [...this.clients.keys()];
  }

  appender(storageNodeId: string): AppendChannel | undefined {
    const client = this.get(storageNodeId);
    return client === undefined ? undefined : this.channels.for(client);
  }
}
