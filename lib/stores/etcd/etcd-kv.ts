import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../metadata-store.js';

/** etcd3 returns revisions as decimal strings and lease 0 for "no lease". */
export function toKeyValue(kv: IKeyValue): KeyValue {
  const lease = kv.lease;
  return {
    key: kv.key.toString('utf8'),
    value: new Uint8Array(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
    version: Number(kv.version),
    lease: lease === '0' || lease === '' ? undefined : lease,
  };
}
