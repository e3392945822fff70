/**
 * Puts or deletes ACL binding keys in etcd, MAX_TXN_OPS keys per transaction (no compares:
 * a binding's key is the binding, so writing it twice or deleting it when gone is harmless),
 * and waits until this replica's view shows the last one so that its next DescribeAcls does.
 */
import type { MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import { MAX_TXN_OPS } from '../../../lib/stores/metadata-store.js';
import { untilRevision } from '../metadata-view/await-view.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

const VIEW_WAIT_MS = 5000;

/** The revision of the last write (0 when `ops` is empty). */
export async function writeAclKeys(
  store: MetadataStore,
  view: MetadataView,
  ops: readonly TxnOp[],
): Promise<number> {
  let revision = 0;
  for (let i = 0; i < ops.length; i += MAX_TXN_OPS) {
    const result = await store.txn([], ops.slice(i, i + MAX_TXN_OPS));
    revision = Math.max(revision, result.revision);
  }
  if (revision > 0) await untilRevision(view, revision, VIEW_WAIT_MS);
  return revision;
}
