/**
 * `kafscale storage-node`: a storage engine serving StorageService on KAFSCALE_STORAGE_ADDR,
 * registered in etcd under its lease and following the controlplane's assignments.
 */
import { randomBytes } from 'node:crypto';
import { AssignmentFollower } from '../../../storage-node/src/assignment-follower.js';
import { storageService } from '../../../storage-node/src/services/storage-service.js';
import type { KafscaleConfig } from '../../config/config.js';
import { StorageService } from '../../gen/proto/kafscale/storage/v1/storage_pb.js';
import { serveGrpc } from '../../grpc/serve-grpc.js';
import type { Logger } from '../../log/logger.js';
import { VERSION } from '../version.js';
import { advertisedFor, metricsAddressFor } from './advertised.js';
import { startObservability } from './observability.js';
import { startStorageEngine } from './start-storage-engine.js';
import { openMetadataStore, openObjectStore } from './open-stores.js';
import { openServiceSecurity } from './service-security.js';
import type { RunningService } from './running-service.js';

export async function runStorageNode(config: KafscaleConfig, log: Logger): Promise<RunningService> {
  const obs = await startObservability(config, log);
  const metadata = obs.metadata(await openMetadataStore(config, log));
  const objects = obs.objects(openObjectStore(config, log));
  const nodeId = config.storage.nodeId ?? `storage-${randomBytes(4).toString('hex')}`;
  const s = config.storage;
  const { engine, stopLifecycle } = await startStorageEngine(
    config,
    nodeId,
    metadata,
    objects,
    obs.registry,
    log,
  );
  const security = await openServiceSecurity(config, log);
  const server = await serveGrpc(
    s.listenAddr,
    (r) => r.service(StorageService, storageService(engine)),
    security.serverTls,
  );
  const advertised = advertisedFor(config, s.listenAddr, server.port);
  await engine.register({
    host: advertised.host,
    port: advertised.port,
    version: VERSION,
    metricsAddr: metricsAddressFor(config, advertised.host, obs.metricsPort),
  });
  const follower = new AssignmentFollower(engine, metadata, log);
  await follower.start();
  obs.setReady(true);
  log.info({ nodeId, advertised }, 'storage node started');
  return {
    description: `storage node ${nodeId} serving gRPC on ${advertised.host}:${advertised.port}, metrics on port ${obs.metricsPort}`,
    stop: async () => {
      obs.setReady('stopping');
      await follower.stop();
      await stopLifecycle();
      await engine.stop();
      await server.close();
      security.stop();
      await metadata.close();
      await obs.close();
    },
  };
}
