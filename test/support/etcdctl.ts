/**
 * Reads etcd with the real `etcdctl`, as an operator would, for tests that look at what the
 * services wrote: a key's value, the keys under a prefix, a topic's id, and which storage
 * node owns a partition.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EtcdFixture } from '../fixtures/etcd.js';

const run = promisify(execFile);

/** The value of `key` (empty when it is absent). */
export async function etcdGet(etcd: EtcdFixture, key: string): Promise<string> {
  const { stdout } = await run('etcdctl', [
    '--endpoints',
    etcd.endpoints.join(','),
    'get',
    key,
    '--print-value-only',
  ]);
  return stdout.trim();
}

/**
 * `etcdctl get --prefix`: the keys under `prefix`, one per line, with their values on the
 * line after each unless `keysOnly`.
 */
export async function etcdGetPrefix(
  etcd: EtcdFixture,
  prefix: string,
  o: { readonly keysOnly?: boolean } = {},
): Promise<string> {
  const { stdout } = await run(
    'etcdctl',
    [
      '--endpoints',
      etcd.endpoints.join(','),
      'get',
      '--prefix',
      ...(o.keysOnly === true ? ['--keys-only'] : []),
      prefix,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** The topic id etcd holds for a topic name. */
export async function topicIdOf(etcd: EtcdFixture, topic: string): Promise<string> {
  return (JSON.parse(await etcdGet(etcd, `/kafscale/topics/${topic}`)) as { topicId: string })
    .topicId;
}

/** The id of the storage node whose claim on the partition is in etcd now. */
export async function partitionOwnerId(
  etcd: EtcdFixture,
  topic: string,
  partition: number,
): Promise<string> {
  const topicId = await topicIdOf(etcd, topic);
  const claim = await etcdGet(etcd, `/kafscale/part/${topicId}/${partition}/owner`);
  return (JSON.parse(claim) as { owner: string }).owner;
}
