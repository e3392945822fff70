/**
 * The storage engine on real etcd and real MinIO: group commit, recovery by a new owner
 * from etcd and S3 alone, and fencing of an owner whose claim is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { EtcdMetadataStore } from '../../../lib/stores/etcd/etcd-metadata-store.js';
import { S3ObjectStore } from '../../../lib/stores/s3/s3-object-store.js';
import { StorageEngine } from '../../../storage-node/src/storage-engine.js';
import { startEtcd, type EtcdFixture } from '../../fixtures/etcd.js';
import { startMinio, type MinioFixture } from '../../fixtures/minio.js';
import {
  batchOf,
  offsetOf,
  ControlledObjectStore,
  recordsOf,
} from '../../support/storage-harness.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAg';
let etcd: EtcdFixture;
let minio: MinioFixture;
let metadata: EtcdMetadataStore;
let objects: ControlledObjectStore;

beforeAll(async () => {
  [etcd, minio] = await Promise.all([startEtcd(), startMinio()]);
  await minio.createBucket('kafscale');
  metadata = await EtcdMetadataStore.connect({ endpoints: etcd.endpoints });
  objects = new ControlledObjectStore(
    new S3ObjectStore({
      bucket: 'kafscale',
      region: minio.region,
      endpoint: minio.endpoint,
      forcePathStyle: true,
      accessKeyId: minio.accessKey,
      secretAccessKey: minio.secretKey,
    }),
  );
});

afterAll(async () => {
  await metadata.close();
  await Promise.all([etcd.stop(), minio.stop()]);
});

function start(nodeId: string): Promise<StorageEngine> {
  return StorageEngine.start({
    nodeId,
    metadata,
    objects,
    flushIntervalMs: 10,
    flushBytes: 4 << 20,
    maxInflightFlushes: 4,
    maxBufferedBytes: 64 << 20,
    leaseTtlSeconds: 5,
    recentRunsBytes: 8 << 20,
  });
}

const fetchAll = { maxWaitMs: 0, minBytes: 0, maxBytes: 8 << 20 };

describe('storage engine on etcd and MinIO', () => {
  it('group-commits concurrent appends to 20 partitions, and a new owner recovers them from S3', async () => {
    const a = await start('real-a');
    for (let p = 0; p < 20; p++) await a.claim(T, p);
    const putsBefore = objects.puts;
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const outcomes = await a.append(
        Array.from({ length: 20 }, (_, p) => ({
          topicId: T,
          partition: p,
          records: batchOf(`p${p}-r${round}`),
        })),
      );
      expect(outcomes.map((o) => offsetOf(o))).toEqual(Array(20).fill(BigInt(round)));
    }
    expect(objects.puts - putsBefore).toBe(rounds); // one object per flush, not per partition
    await a.stop();

    const b = await start('real-b');
    for (let p = 0; p < 20; p++) {
      const claim = await b.claim(T, p);
      expect(claim.kind === 'claimed' && [claim.log.epoch, claim.log.highWatermark]).toEqual([
        2,
        BigInt(rounds),
      ]);
    }
    const reads = await b.fetch(
      Array.from({ length: 20 }, (_, p) => ({
        topicId: T,
        partition: p,
        offset: 0n,
        maxBytes: 1 << 20,
      })),
      fetchAll,
    );
    reads.forEach((r, p) => {
      expect(recordsOf(r.batches)).toEqual(
        Array.from({ length: rounds }, (_, i) => ({ offset: BigInt(i), value: `p${p}-r${i}` })),
      );
    });
    await b.stop();
  });

  it('fences an owner whose claim is gone: its next commit fails and the new owner continues the offsets', async () => {
    const P = 100;
    const a = await start('fence-a');
    const b = await start('fence-b');
    await a.claim(T, P);
    await a.append([{ topicId: T, partition: P, records: batchOf('a-1', 'a-2') }]);
    // Take A's claim away behind its back (as if its lease had expired), and let B claim.
    await metadata.txn([], [{ type: 'delete', key: keys.partitionOwner(T, P) }]);
    const claim = await b.claim(T, P);
    expect(claim.kind === 'claimed' && claim.log.epoch).toBe(2);
    const [stale] = await a.append([{ topicId: T, partition: P, records: batchOf('a-stale') }]);
    expect(stale?.errorCode).toBe(KafkaError.NOT_LEADER_OR_FOLLOWER);
    const [fresh] = await b.append([{ topicId: T, partition: P, records: batchOf('b-1') }]);
    expect(offsetOf(fresh)).toBe(2n);
    const [read] = await b.fetch(
      [{ topicId: T, partition: P, offset: 0n, maxBytes: 1 << 20 }],
      fetchAll,
    );
    expect(recordsOf(read?.batches ?? []).map((r) => r.value)).toEqual(['a-1', 'a-2', 'b-1']);
    await Promise.all([a.stop(), b.stop()]);
  });
});
