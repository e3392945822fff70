/**
 * CreateAcls on the controlplane: each binding is checked with Kafka's rules
 * (lib/security/acl/acl-validation.ts; a bad one is INVALID_REQUEST with the reason, the
 * others are still created) and written as its own etcd key. Creating a binding that exists
 * is no error, as in Kafka. Any replica may serve it.
 */
import { create } from '@bufbuild/protobuf';
import {
  AclCreationResultSchema,
  CreateAclsResponseSchema,
  type CreateAclsRequest,
  type CreateAclsResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/acl_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { aclKeyParts, encodeAclValue } from '../../../lib/metadata/acl-records.js';
import { keys } from '../../../lib/metadata/keys.js';
import { bindingFromMessage } from '../../../lib/security/acl/acl-messages.js';
import { bindingProblem } from '../../../lib/security/acl/acl-validation.js';
import type { MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';
import { writeAclKeys } from './write-acl-keys.js';

export async function createAcls(
  store: MetadataStore,
  view: MetadataView,
  req: CreateAclsRequest,
): Promise<CreateAclsResponse> {
  const ops = new Map<string, TxnOp>();
  const results = req.creations.map((m) => {
    const binding = bindingFromMessage(m);
    const problem = bindingProblem(binding);
    if (problem !== undefined)
      return create(AclCreationResultSchema, {
        errorCode: KafkaError.INVALID_REQUEST,
        errorMessage: problem,
      });
    const key = keys.aclBinding(aclKeyParts(binding));
    ops.set(key, { type: 'put', key, value: encodeAclValue() });
    return create(AclCreationResultSchema, { errorCode: KafkaError.NONE });
  });
  const revision = await writeAclKeys(store, view, [...ops.values()]);
  return create(CreateAclsResponseSchema, { results, revision: BigInt(revision) });
}
