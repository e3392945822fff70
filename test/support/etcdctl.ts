/**
 * Reads etcd with the real `etcdctl`, as an operator would, for tests that look at what the
 * services wrote: a key's value, and which storage node owns a partition.
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

/** The id of the storage node whose claim on the partition is in etcd now. */
export async function partitionOwnerId(
  etcd: EtcdFixture,
  topic: string,
  partition: number,
): Promise<string> {
  const { topicId } = JSON.parse(await etcdGet(etcd, `/kafscale/topics/${topic}`)) as {
    topicId: string;
  };
  const claim = await etcdGet(etcd, `/kafscale/part/${topicId}/${partition}/owner`);
  return (JSON.parse(claim) as { owner: string }).owner;
}
