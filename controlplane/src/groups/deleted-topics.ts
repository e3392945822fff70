/**
 * Follows topic deletions in the metadata view and tells the coordinator, so that the
 * offsets groups committed for a deleted topic go with it (as in Kafka): a topic created
 * again under the same name starts without them. The view's changes carry topic ids only,
 * so this keeps the id -> name map it needs to name what was deleted.
 */
import type { MetadataView } from '../metadata-view/metadata-view.js';

export function followTopicDeletions(
  view: MetadataView,
  onDeleted: (names: string[]) => void,
): () => void {
  let names = new Map(view.topics().map((t) => [t.record.topicId, t.record.name]));
  return view.subscribe((change) => {
    const deleted: string[] = [];
    if (change.reset) {
      const now = new Map(view.topics().map((t) => [t.record.topicId, t.record.name]));
      for (const [id, name] of names) if (!now.has(id)) deleted.push(name);
      names = now;
    } else {
      for (const id of change.changes.topics) {
        const entry = view.topicById(id);
        const old = names.get(id);
        if (entry === undefined) {
          if (old !== undefined) deleted.push(old);
          names.delete(id);
        } else {
          names.set(id, entry.record.name);
        }
      }
    }
    if (deleted.length > 0) onDeleted(deleted);
  });
}
