/**
 * Waiting on the metadata view: until a condition over it holds, the time runs out or the
 * caller goes away. Writers use it so that what they wrote shows in this replica's next read
 * (admin calls, AlterConfigs), and a drain streams its progress with it without polling
 * etcd.
 */
import type { MetadataView } from './metadata-view.js';

/** True once `holds()` is true; false after `timeoutMs` or when `signal` aborts. */
export function untilView(
  view: MetadataView,
  holds: () => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (holds()) return Promise.resolve(true);
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (result: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      finish(false);
    };
    const timer = setTimeout(() => {
      finish(holds());
    }, timeoutMs);
    const unsubscribe = view.subscribe(() => {
      if (holds()) finish(true);
    });
    signal?.addEventListener('abort', onAbort);
  });
}

/** Resolves once the view has reached `revision` (or after `timeoutMs`). */
export function untilRevision(
  view: MetadataView,
  revision: number,
  timeoutMs: number,
): Promise<boolean> {
  return untilView(view, () => view.revision >= revision, timeoutMs);
}
