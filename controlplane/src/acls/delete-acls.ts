/**
 * DeleteAcls on the controlplane: every binding that matches a filter (in this replica's
 * view) is deleted; each filter's result lists what it matched, so a binding two filters
 * match is listed under both and deleted once. A filter with an UNKNOWN part is
 * INVALID_REQUEST and deletes nothing; the other filters still apply, as in Kafka.
 */
import { create } from '@bufbuild/protobuf';
import {
  AclFilterResultSchema,
  DeleteAclsResponseSchema,
  DeletedAclSchema,
  type DeleteAclsRequest,
  type DeleteAclsResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/acl_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { aclKeyParts } from '../../../lib/metadata/acl-records.js';
import { keys } from '../../../lib/metadata/keys.js';
import { filterMatches, filterProblem } from '../../../lib/security/acl/acl-filter.js';
import { bindingMessage, filterFromMessage } from '../../../lib/security/acl/acl-messages.js';
import type { MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { writeAclKeys } from './write-acl-keys.js';

export async function deleteAcls(
  store: MetadataStore,
  view: MetadataView,
  req: DeleteAclsRequest,
): Promise<DeleteAclsResponse> {
  const ops = new Map<string, TxnOp>();
  const existing = view.aclBindings();
  const results = req.filters.map((m) => {
    const filter = filterFromMessage(m);
    const problem = filterProblem(filter);
    if (problem !== undefined)
      return create(AclFilterResultSchema, {
        errorCode: KafkaError.INVALID_REQUEST,
        errorMessage: problem,
      });
    const matching = existing.filter((b) => filterMatches(filter, b));
    for (const b of matching) {
      const key = keys.aclBinding(aclKeyParts(b));
      ops.set(key, { type: 'delete', key });
    }
    return create(AclFilterResultSchema, {
      matching: matching.map((b) => create(DeletedAclSchema, { binding: bindingMessage(b) })),
    });
  });
  const revision = await writeAclKeys(store, view, [...ops.values()]);
  return create(DeleteAclsResponseSchema, { results, revision: BigInt(revision) });
}
