/**
 * DescribeAcls (key 29): lists the ACL bindings that match a filter, grouped by resource
 * pattern. `kafka-acls --list` uses it.
 *
 * v0: literal patterns only (no pattern type filter: LITERAL). v1: pattern type filters
 * (KIP-290: ANY, MATCH, LITERAL, PREFIXED). v2: flexible versions. v3: same as v2.
 *
 * Needs DESCRIBE on the cluster (else CLUSTER_AUTHORIZATION_FAILED); without an authorizer
 * SECURITY_DISABLED, as in Kafka. A filter with an UNKNOWN part (or a code Kafka does not
 * know) is INVALID_REQUEST. The controlplane answers from its metadata view
 * (controlplane/src/acls/describe-acls.ts); when it does not answer, REQUEST_TIMED_OUT.
 */
import {
  describeAclsApi,
  type DescribeAclsRequest,
  type DescribeAclsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { filterProblem } from '../../../lib/security/acl/acl-filter.js';
import { bindingFromMessage, filterMessage } from '../../../lib/security/acl/acl-messages.js';
import type { AclBinding as AclBindingMessage } from '../../../lib/gen/proto/kafscale/controlplane/v1/acl_pb.js';
import { onCluster } from '../security/request-authorizer.js';
import { SECURITY_DISABLED, filterFromKafka, type AclServices } from './acl-services.js';
import { CONTROLPLANE_DOWN, type ResourceError } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';

function failed(error: ResourceError): DescribeAclsResponse {
  return { throttleTimeMs: 0, ...error, resources: [] };
}

/** Bindings grouped by resource pattern, in the order they came. */
function byResource(bindings: readonly AclBindingMessage[]): DescribeAclsResponse['resources'] {
  const resources = new Map<string, DescribeAclsResponse['resources'][number]>();
  for (const m of bindings) {
    const b = bindingFromMessage(m);
    const id = `${b.resourceType}\0${b.patternType}\0${b.resourceName}`;
    let r = resources.get(id);
    if (r === undefined) {
      r = {
        resourceType: b.resourceType,
        resourceName: b.resourceName,
        patternType: b.patternType,
        acls: [],
      };
      resources.set(id, r);
    }
    r.acls.push({
      principal: b.principal,
      host: b.host,
      operation: b.operation,
      permissionType: b.permission,
    });
  }
  return [...resources.values()];
}

export function describeAclsHandler(
  acls: AclServices,
): KafkaHandler<DescribeAclsRequest, DescribeAclsResponse> {
  return {
    api: describeAclsApi,
    minVersion: 0,
    maxVersion: 3,
    async handle(request, ctx) {
      if (!acls.authorizer.enabled) return failed(SECURITY_DISABLED);
      if (!onCluster(acls.authorizer, ctx, AclOperation.DESCRIBE))
        return failed({
          errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
        });
      const filter = filterFromKafka(request);
      const problem = filterProblem(filter);
      if (problem !== undefined)
        return failed({ errorCode: KafkaError.INVALID_REQUEST, errorMessage: problem });
      try {
        const res = await acls.controlplane.describeAcls(
          { filter: filterMessage(filter) },
          { timeoutMs: 30_000 },
        );
        if (res.errorCode !== 0)
          return failed({ errorCode: res.errorCode, errorMessage: res.errorMessage });
        return {
          throttleTimeMs: 0,
          errorCode: 0,
          errorMessage: null,
          resources: byResource(res.bindings),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane DescribeAcls failed');
        return failed(CONTROLPLANE_DOWN);
      }
    },
  };
}
