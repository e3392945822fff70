// The ObjectStore contract against a real MinIO, plus S3-specific behaviour: error mapping
// and bounded time when the server stops answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ObjectNotFoundError, ObjectStoreError } from '../../lib/stores/object-store.js';
import type { S3ObjectStoreConfig } from '../../lib/stores/s3/s3-config.js';
import { S3ObjectStore } from '../../lib/stores/s3/s3-object-store.js';
import { startMinio, type MinioFixture } from '../fixtures/minio.js';
import { freePort } from '../fixtures/processes.js';
import { objectStoreContract } from './object-store.contract.js';

let minio: MinioFixture | undefined;
let buckets = 0;

async function server(): Promise<MinioFixture> {
  minio ??= await startMinio();
  return minio;
}

function configFor(m: MinioFixture, bucket: string): S3ObjectStoreConfig {
  return {
    bucket,
    region: m.region,
    endpoint: m.endpoint,
    forcePathStyle: true,
    accessKeyId: m.accessKey,
    secretAccessKey: m.secretKey,
  };
}

async function freshBucket(m: MinioFixture): Promise<string> {
  const bucket = `kafscale-test-${process.pid}-${++buckets}`;
  await m.createBucket(bucket);
  return bucket;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  await minio?.stop();
});

objectStoreContract('s3 (MinIO)', async () => {
  const m = await server();
  const store = new S3ObjectStore(configFor(m, await freshBucket(m)));
  return {
    store,
    cleanup: () => {
      store.destroy();
      return Promise.resolve();
    },
  };
});

describe('S3ObjectStore against MinIO', () => {
  let m: MinioFixture;
  let bucket = '';
  beforeAll(async () => {
    m = await server();
    bucket = await freshBucket(m);
  });

  it('fails a get with a retriable error within its timeout while MinIO is paused, then recovers', async () => {
    const store = new S3ObjectStore({
      ...configFor(m, bucket),
      socketTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxAttempts: 2,
    });
    try {
      await store.put('fault/x', Buffer.from('before'));
      expect((await store.get('fault/x')).toString()).toBe('before');
      const started = Date.now();
      const pending = rejection(store.get('fault/x'));
      m.pause();
      let error: unknown;
      try {
        error = await pending;
      } finally {
        m.resume();
      }
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect(error).not.toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectStoreError).retriable).toBe(true);
      expect((error as ObjectStoreError).cause).toBeDefined();
      expect(elapsed).toBeLessThan(6000);
      expect((await store.get('fault/x')).toString()).toBe('before');

      const putStarted = Date.now();
      const pendingPut = rejection(
        store.put('fault/y', [Buffer.from('af'), Buffer.from('ter')], { ifNoneMatch: true }),
      );
      m.pause();
      let putError: unknown;
      try {
        putError = await pendingPut;
      } finally {
        m.resume();
      }
      expect(putError).toBeInstanceOf(ObjectStoreError);
      expect((putError as ObjectStoreError).retriable).toBe(true);
      expect(Date.now() - putStarted).toBeLessThan(6000);
      // A put that timed out on our side may still have landed once MinIO resumed: the
      // object is then whole, never partial.
      let landed: string | undefined;
      try {
        landed = (await store.get('fault/y')).toString();
      } catch (e) {
        if (!(e instanceof ObjectNotFoundError)) throw e;
      }
      expect([undefined, 'after']).toContain(landed);
      await store.put('fault/z', Buffer.from('after'), { ifNoneMatch: true });
      expect((await store.get('fault/z')).toString()).toBe('after');
    } finally {
      store.destroy();
    }
  });

  it('round-trips keys whose characters need encoding in the signed path', async () => {
    const store = new S3ObjectStore(configFor(m, bucket));
    try {
      for (const key of ["odd/a b+c=d!'()*~", 'odd/ünï/çødé', 'odd/percent%2Fslash']) {
        await store.put(key, [Buffer.from('x'), Buffer.from(key)]);
        expect((await store.get(key)).toString()).toBe(`x${key}`);
        expect((await store.get(key, { start: 1, end: 3 })).toString()).toBe(key.slice(0, 3));
      }
    } finally {
      store.destroy();
    }
  });

  it('fails with a retriable error, quickly, when nothing listens', async () => {
    const port = await freePort();
    const store = new S3ObjectStore({
      ...configFor(m, bucket),
      endpoint: `http://127.0.0.1:${port}`,
      maxAttempts: 2,
    });
    try {
      const started = Date.now();
      const error = await rejection(store.get('x'));
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retriable).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      store.destroy();
    }
  });

  it('maps a missing bucket to a non-retriable error, not to "object not found"', async () => {
    const store = new S3ObjectStore(configFor(m, 'kafscale-no-such-bucket'));
    try {
      for (const call of [
        () => store.get('x'),
        () => store.put('x', Buffer.from('x')),
        () => store.list(''),
      ]) {
        const error = await rejection(call());
        expect(error).toBeInstanceOf(ObjectStoreError);
        expect(error).not.toBeInstanceOf(ObjectNotFoundError);
        expect((error as ObjectStoreError).retriable).toBe(false);
        expect((error as Error).message).toMatch(/NoSuchBucket/);
      }
    } finally {
      store.destroy();
    }
  });

  it('maps bad credentials to a non-retriable error', async () => {
    const store = new S3ObjectStore({ ...configFor(m, bucket), secretAccessKey: 'wrong-secret' });
    try {
      const error = await rejection(store.put('x', Buffer.from('x')));
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retriable).toBe(false);
      expect((error as ObjectStoreError).cause).toBeDefined();
    } finally {
      store.destroy();
    }
  });

  it('sends SSE-KMS headers when a KMS key is configured (MinIO without KMS refuses them)', async () => {
    const store = new S3ObjectStore({
      ...configFor(m, bucket),
      kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/test',
    });
    try {
      const error = await rejection(store.put('kms/x', Buffer.from('x')));
      expect(error).toBeInstanceOf(ObjectStoreError);
      expect((error as ObjectStoreError).retriable).toBe(false);
    } finally {
      store.destroy();
    }
  });
});
