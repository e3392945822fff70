/**
 * What the ACL handlers (CreateAcls, DescribeAcls, DeleteAcls) share: the controlplane that
 * keeps the bindings, the authorizer (the APIs need ALTER or DESCRIBE on the cluster, and
 * answer SECURITY_DISABLED when no authorizer is configured, as Kafka does), and a wait for
 * this edge's own view to hold what was written, so the client's next request is authorized
 * by it.
 */
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import {
  AclOperation,
  AclPermission,
  PatternType,
  ResourceType,
  knownCode,
} from '../../../lib/security/acl/acl-binding.js';
import type { AclBindingFilter } from '../../../lib/security/acl/acl-filter.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import type { RequestAuthorizer } from '../security/request-authorizer.js';
import type { ResourceError } from './config-resources.js';

export interface AclServices {
  readonly controlplane: ControlPlaneClient;
  readonly authorizer: RequestAuthorizer;
  /** Resolves once this edge's view has reached `revision` (bounded wait). */
  untilSeen(revision: bigint): Promise<void>;
}

export const SECURITY_DISABLED: ResourceError = {
  errorCode: KafkaError.SECURITY_DISABLED,
  errorMessage: 'No Authorizer is configured.',
};

/** The filter fields of DescribeAcls and DeleteAcls, codes outside Kafka's tables as UNKNOWN. */
export interface KafkaAclFilter {
  readonly resourceTypeFilter: number;
  readonly resourceNameFilter: string | null;
  readonly patternTypeFilter: number;
  readonly principalFilter: string | null;
  readonly hostFilter: string | null;
  readonly operation: number;
  readonly permissionType: number;
}

export function filterFromKafka(f: KafkaAclFilter): AclBindingFilter {
  return {
    resourceType: knownCode(ResourceType, f.resourceTypeFilter),
    resourceName: f.resourceNameFilter,
    patternType: knownCode(PatternType, f.patternTypeFilter),
    principal: f.principalFilter,
    host: f.hostFilter,
    operation: knownCode(AclOperation, f.operation),
    permission: knownCode(AclPermission, f.permissionType),
  };
}
