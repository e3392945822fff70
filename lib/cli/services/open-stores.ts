/** Opens the metadata and object stores a process is configured for. */
import { readFile } from 'node:fs/promises';
import type { KafscaleConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { EtcdMetadataStore } from '../../stores/etcd/etcd-metadata-store.js';
import { MemoryMetadataStore } from '../../stores/memory/memory-metadata-store.js';
import { MemoryObjectStore } from '../../stores/memory/memory-object-store.js';
import type { MetadataStore } from '../../stores/metadata-store.js';
import type { ObjectStore } from '../../stores/object-store.js';
import { S3ObjectStore } from '../../stores/s3/s3-object-store.js';

export async function openMetadataStore(
  config: KafscaleConfig,
  log: Logger,
): Promise<MetadataStore> {
  if (config.etcd === undefined) {
    log.warn(
      'KAFSCALE_ETCD_ENDPOINTS is not set: using an in-process metadata store, which other processes cannot see',
    );
    return new MemoryMetadataStore();
  }
  const tls = config.etcd.tls;
  const read = (path: string | undefined) =>
    path === undefined ? Promise.resolve(undefined) : readFile(path);
  const [ca, cert, key] =
    tls === undefined
      ? []
      : await Promise.all([read(tls.caFile), read(tls.certFile), read(tls.keyFile)]);
  return EtcdMetadataStore.connect({
    endpoints: config.etcd.endpoints,
    ...(tls === undefined
      ? {}
      : {
          tls: {
            ...(ca === undefined ? {} : { ca }),
            ...(cert === undefined ? {} : { cert }),
            ...(key === undefined ? {} : { key }),
          },
        }),
    ...(config.etcd.username === undefined ? {} : { username: config.etcd.username }),
    ...(config.etcd.password === undefined ? {} : { password: config.etcd.password }),
  });
}

export function openObjectStore(config: KafscaleConfig, log: Logger): ObjectStore {
  if (config.useMemoryS3) {
    log.warn(
      'KAFSCALE_USE_MEMORY_S3 is set: objects live in this process only and are lost when it exits',
    );
    return new MemoryObjectStore();
  }
  const s3 = config.s3;
  return new S3ObjectStore({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.accessKeyId === undefined ? {} : { accessKeyId: s3.accessKeyId }),
    ...(s3.secretAccessKey === undefined ? {} : { secretAccessKey: s3.secretAccessKey }),
    ...(s3.sessionToken === undefined ? {} : { sessionToken: s3.sessionToken }),
    ...(s3.kmsKeyArn === undefined ? {} : { kmsKeyArn: s3.kmsKeyArn }),
  });
}
