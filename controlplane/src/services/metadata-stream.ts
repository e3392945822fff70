/**
 * One WatchMetadata stream: a snapshot, then updates. Changes that arrive while the
 * watcher is slow are coalesced into one pending change set (by identity, so its size is
 * bounded by the cluster's metadata, not by the number of events); if even that grows past
 * `maxPendingChanges`, the watcher gets a fresh snapshot instead. Nothing is queued per
 * event, so a slow watcher costs at most one change set and one message in flight.
 */
import type { WatchMetadataResponse } from '../../../lib/gen/proto/kafscale/controlplane/v1/controlplane_pb.js';
import { ChangeSet } from '../metadata-view/change-set.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { snapshotMessage, updateMessage } from './metadata-messages.js';

export const DEFAULT_MAX_PENDING_CHANGES = 10_000;

export async function* metadataStream(
  view: MetadataView,
  clusterId: string,
  signal: AbortSignal,
  maxPendingChanges = DEFAULT_MAX_PENDING_CHANGES,
): AsyncGenerator<WatchMetadataResponse> {
  let pending = new ChangeSet();
  // A field, not a local: the listener sets it between awaits.
  const state = { needSnapshot: false };
  let wake: (() => void) | undefined;
  const unsubscribe = view.subscribe((change) => {
    if (change.reset) {
      state.needSnapshot = true;
      pending = new ChangeSet();
    } else if (!state.needSnapshot) {
      pending.merge(change.changes);
      if (pending.size > maxPendingChanges) {
        state.needSnapshot = true;
        pending = new ChangeSet();
      }
    }
    wake?.();
  });
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    // Subscribed and snapshotted in one synchronous step: no change falls in between.
    yield snapshotMessage(view, clusterId);
    while (!signal.aborted) {
      if (state.needSnapshot) {
        state.needSnapshot = false;
        pending = new ChangeSet();
        yield snapshotMessage(view, clusterId);
        continue;
      }
      if (pending.isEmpty) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      const changes = pending;
      pending = new ChangeSet();
      const message = updateMessage(view, changes);
      if (message !== undefined) yield message;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
