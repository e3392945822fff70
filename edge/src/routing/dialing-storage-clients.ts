/**
 * Storage clients dialed on demand from the addresses the cluster view knows: one gRPC
 * (HTTP/2) transport per storage node, re-dialed when the node's address changes.
 */
import { createClient } from '@connectrpc/connect';
import type { GrpcDialer } from '../../../lib/grpc/grpc-dialer.js';
import { StorageService } from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import type { StorageNodeAddress } from '../metadata/watched-cluster-view.js';
import type { AppendChannel } from './append-channel.js';
import { AppendChannels, type StorageClient, type StorageClients } from './storage-clients.js';

export class DialingStorageClients implements StorageClients {
  private readonly channels = new AppendChannels();
  private readonly clients = new Map<string, { address: string; client: StorageClient }>();

  constructor(
    private readonly addressOf: (storageNodeId: string) => StorageNodeAddress | undefined,
    private readonly liveNodeIds: () => readonly string[],
    private readonly dialer: GrpcDialer,
  ) {}

  nodeIds(): readonly string[] {
    return this.liveNodeIds();
  }

  get(storageNodeId: string): StorageClient | undefined {
    const addr = this.addressOf(storageNodeId);
    if (addr === undefined) return undefined;
    const address = `${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`;
    const existing = this.clients.get(storageNodeId);
    if (existing?.address === address) return existing.client;
    const client = createClient(StorageService, this.dialer.transport(address));
    this.clients.set(storageNodeId, { address, client });
    return client;
  }

  appender(storageNodeId: string): AppendChannel | undefined {
    const client = this.get(storageNodeId);
    return client === undefined ? undefined : this.channels.for(client);
  }
}
