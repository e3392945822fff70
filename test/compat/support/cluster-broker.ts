/**
 * The real stack for the client compatibility tests: etcd, MinIO, and one controlplane,
 * one storage node and one edge as separate processes (test/fixtures), behind the same
 * interface as the embedded broker. The clients talk to the edge.
 */
import { startEtcd } from '../../fixtures/etcd.js';
import { startService } from '../../fixtures/kafscale-cluster.js';
import { startMinio } from '../../fixtures/minio.js';
import type { DevBroker, DevBrokerOptions } from './dev-broker.js';

export async function startClusterBroker(options: DevBrokerOptions = {}): Promise<DevBroker> {
  const [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  const env = { etcd, minio, bucket: 'kafscale', extra: { ...options.env } };
  const services = [
    await startService('controlplane', env),
    await startService('storage-node', env),
  ];
  const stop = async (): Promise<void> => {
    await Promise.all(services.map((s) => s.process.stop()));
    await Promise.all([etcd.stop(), minio.stop()]);
  };
  try {
    const edge = await startService('edge', env);
    services.push(edge);
    return {
      bootstrap: `127.0.0.1:${edge.port}`,
      port: edge.port,
      output: () => services.map((s) => `== ${s.banner}\n${s.process.outputTail()}`).join('\n'),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
