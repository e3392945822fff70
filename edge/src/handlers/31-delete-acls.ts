/**
 * DeleteAcls (key 31): deletes every ACL binding that matches one of the filters and lists,
 * per filter, what it matched. `kafka-acls --remove` uses it.
 *
 * v0: literal patterns only (no pattern type filter: LITERAL). v1: pattern type filters
 * (KIP-290: ANY, MATCH, LITERAL, PREFIXED). v2: flexible versions. v3: same as v2.
 *
 * Needs ALTER on the cluster (else CLUSTER_AUTHORIZATION_FAILED for every filter); without
 * an authorizer SECURITY_DISABLED, as in Kafka. A filter with an UNKNOWN part is
 * INVALID_REQUEST and deletes nothing; the other filters still apply. The controlplane
 * deletes the keys (controlplane/src/acls/delete-acls.ts) and the answer waits until this
 * edge's view no longer holds them; when it does not answer, REQUEST_TIMED_OUT.
 */
import {
  deleteAclsApi,
  type DeleteAclsRequest,
  type DeleteAclsResponse,
} from '../../../lib/kafka/gen/index.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import { filterProblem } from '../../../lib/security/acl/acl-filter.js';
import { bindingFromMessage, filterMessage } from '../../../lib/security/acl/acl-messages.js';
import { onCluster } from '../security/request-authorizer.js';
import { SECURITY_DISABLED, filterFromKafka, type AclServices } from './acl-services.js';
import { CONTROLPLANE_DOWN, type ResourceError } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';

type FilterResult = DeleteAclsResponse['filterResults'][number];

function failedResult(error: ResourceError): FilterResult {
  return { ...error, matchingAcls: [] };
}

export function deleteAclsHandler(
  acls: AclServices,
): KafkaHandler<DeleteAclsRequest, DeleteAclsResponse> {
  return {
    api: deleteAclsApi,
    minVersion: 0,
    maxVersion: 3,
    async handle(request, ctx) {
      const all = (error: ResourceError): DeleteAclsResponse => ({
        throttleTimeMs: 0,
        filterResults: request.filters.map(() => failedResult(error)),
      });
      if (!acls.authorizer.enabled) return all(SECURITY_DISABLED);
      if (!onCluster(acls.authorizer, ctx, AclOperation.ALTER))
        return all({
          errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
        });
      const filters = request.filters.map(filterFromKafka);
      const problems = filters.map(filterProblem);
      const valid = filters.filter((_, i) => problems[i] === undefined);
      try {
        const res =
          valid.length === 0
            ? undefined
            : await acls.controlplane.deleteAcls(
                { filters: valid.map(filterMessage) },
                { timeoutMs: 30_000 },
              );
        if (res !== undefined) await acls.untilSeen(res.revision);
        let next = 0;
        return {
          throttleTimeMs: 0,
          filterResults: problems.map((problem): FilterResult => {
            if (problem !== undefined)
              return failedResult({ errorCode: KafkaError.INVALID_REQUEST, errorMessage: problem });
            const r = res?.results[next++];
            if (r === undefined) return failedResult(CONTROLPLANE_DOWN);
            return {
              errorCode: r.errorCode,
              errorMessage: r.errorCode === 0 ? null : r.errorMessage,
              matchingAcls: r.matching.flatMap((m) => {
                if (m.binding === undefined) return [];
                const b = bindingFromMessage(m.binding);
                return [
                  {
                    errorCode: m.errorCode,
                    errorMessage: m.errorCode === 0 ? null : m.errorMessage,
                    resourceType: b.resourceType,
                    resourceName: b.resourceName,
                    patternType: b.patternType,
                    principal: b.principal,
                    host: b.host,
                    operation: b.operation,
                    permissionType: b.permission,
                  },
                ];
              }),
            };
          }),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane DeleteAcls failed');
        return all(CONTROLPLANE_DOWN);
      }
    },
  };
}
