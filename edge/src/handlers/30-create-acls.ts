/**
 * CreateAcls (key 30): creates ACL bindings. `kafka-acls --add` uses it.
 *
 * v0: literal resource names only (no pattern type field: LITERAL). v1: resource pattern
 * types (KIP-290: LITERAL and PREFIXED). v2: flexible versions. v3: same as v2.
 *
 * Needs ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every creation); without
 * an authorizer every creation is SECURITY_DISABLED, as in Kafka. The controlplane checks each
 * binding with Kafka's rules (a bad one is INVALID_REQUEST, the others are created) and
 * writes one etcd key per binding (controlplane/src/acls/create-acls.ts); the answer waits
 * until this edge's view holds them. When the controlplane does not answer, every creation
 * gets REQUEST_TIMED_OUT (and may or may not have been made).
 */
import {
  createAclsApi,
  type CreateAclsRequest,
  type CreateAclsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  AclOperation,
  AclPermission,
  PatternType,
  ResourceType,
  knownCode,
} from '../../../lib/security/acl/acl-binding.js';
import { bindingMessage } from '../../../lib/security/acl/acl-messages.js';
import { onCluster } from '../security/request-authorizer.js';
import { SECURITY_DISABLED, type AclServices } from './acl-services.js';
import { CONTROLPLANE_DOWN, type ResourceError } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';

function answer(request: CreateAclsRequest, error: ResourceError): CreateAclsResponse {
  return { throttleTimeMs: 0, results: request.creations.map(() => ({ ...error })) };
}

export function createAclsHandler(
  acls: AclServices,
): KafkaHandler<CreateAclsRequest, CreateAclsResponse> {
  return {
    api: createAclsApi,
    minVersion: 0,
    maxVersion: 3,
    async handle(request, ctx) {
      if (!acls.authorizer.enabled) return answer(request, SECURITY_DISABLED);
      if (!onCluster(acls.authorizer, ctx, AclOperation.ALTER))
        return answer(request, {
          errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
        });
      try {
        const res = await acls.controlplane.createAcls(
          {
            creations: request.creations.map((c) =>
              bindingMessage({
                resourceType: knownCode(ResourceType, c.resourceType),
                resourceName: c.resourceName,
                patternType: knownCode(PatternType, c.resourcePatternType),
                principal: c.principal,
                host: c.host,
                operation: knownCode(AclOperation, c.operation),
                permission: knownCode(AclPermission, c.permissionType),
              }),
            ),
          },
          { timeoutMs: 30_000 },
        );
        await acls.untilSeen(res.revision);
        return {
          throttleTimeMs: 0,
          results: res.results.map((r) => ({
            errorCode: r.errorCode,
            errorMessage: r.errorCode === 0 ? null : r.errorMessage,
          })),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane CreateAcls failed');
        return answer(request, CONTROLPLANE_DOWN);
      }
    },
  };
}
