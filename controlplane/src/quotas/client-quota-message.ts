/** An entity's client quotas as the metadata stream carries them to edges. */
import type { ClientQuota } from '../../../lib/gen/proto/kafscale/controlplane/v1/quota_pb.js';
import { parseEntityPath } from '../../../lib/quota/quota-entity.js';
import { clientQuotaMessage } from '../../../lib/quota/quota-messages.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

/** The entity's values now (none when it has no quota left). */
export function clientQuotaOf(view: MetadataView, path: string): ClientQuota | undefined {
  const entry = view.clientQuota(path);
  if (entry !== undefined) return clientQuotaMessage(entry.entity, entry.values);
  const entity = parseEntityPath(path.split('/'));
  return entity === undefined ? undefined : clientQuotaMessage(entity, new Map());
}
