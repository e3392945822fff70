/**
 * DescribeAcls on the controlplane, from its metadata view: the bindings that match the
 * filter (Kafka's AclBindingFilter rules, lib/security/acl/acl-filter.ts). A filter with an
 * UNKNOWN part is INVALID_REQUEST.
 */
import { create } from '@bufbuild/protobuf';
import {
  DescribeAclsResponseSchema,
  type DescribeAclsRequest,
  type DescribeAclsResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/acl_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { filterMatches, filterProblem } from '../../../lib/security/acl/acl-filter.js';
import { bindingMessage, filterFromMessage } from '../../../lib/security/acl/acl-messages.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

export function describeAcls(view: MetadataView, req: DescribeAclsRequest): DescribeAclsResponse {
  if (req.filter === undefined)
    return create(DescribeAclsResponseSchema, {
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'DescribeAcls needs a filter',
    });
  const filter = filterFromMessage(req.filter);
  const problem = filterProblem(filter);
  if (problem !== undefined)
    return create(DescribeAclsResponseSchema, {
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: problem,
    });
  return create(DescribeAclsResponseSchema, {
    bindings: view
      .aclBindings()
      .filter((b) => filterMatches(filter, b))
      .map(bindingMessage),
  });
}
