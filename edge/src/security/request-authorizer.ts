/**
 * What handlers ask before they act: may this request's principal, from this client's host,
 * perform an operation on a resource? The principal is the connection's (User:ANONYMOUS on
 * PLAINTEXT, the SASL user, or the client certificate's subject); the host is the client's
 * IP address. With KAFSCALE_AUTHORIZER=none everything is allowed (and SECURITY_DISABLED
 * answers the ACL APIs); with `acl` the edge's cached ACL bindings decide, no call made.
 */
import {
  AclAuthorizer,
  SUPPORTED_OPERATIONS,
  type Requester,
} from '../../../lib/security/acl/acl-authorizer.js';
import { CLUSTER_RESOURCE_NAME, ResourceType } from '../../../lib/security/acl/acl-binding.js';
import type { AclIndex } from '../../../lib/security/acl/acl-index.js';
import type { AuthorizerConfig } from '../../../lib/config/authorizer-config.js';
import type { RequestContext } from '../handlers/kafka-handler.js';
import { ANONYMOUS } from './connection-auth.js';

export interface RequestAuthorizer {
  /** False: no authorizer is configured (KAFSCALE_AUTHORIZER=none). */
  readonly enabled: boolean;
  authorize(ctx: RequestContext, operation: number, resourceType: number, name: string): boolean;
  /** May the principal perform `operation` on some resource of the type (Kafka's rules)? */
  authorizeByResourceType(ctx: RequestContext, operation: number, resourceType: number): boolean;
  /** Kafka's authorized-operations bit field for one resource. */
  authorizedOperations(ctx: RequestContext, resourceType: number, name: string): number;
}

/** May the request's principal perform `operation` on the cluster? */
export function onCluster(
  authorizer: RequestAuthorizer,
  ctx: RequestContext,
  operation: number,
): boolean {
  return authorizer.authorize(ctx, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
}

/** Every operation Kafka reports for a resource type, as a bit field. */
export function allOperations(resourceType: number): number {
  let bits = 0;
  for (const op of SUPPORTED_OPERATIONS.get(resourceType) ?? []) bits |= 1 << op;
  return bits;
}

export const allowEverything: RequestAuthorizer = {
  enabled: false,
  authorize: () => true,
  authorizeByResourceType: () => true,
  authorizedOperations: (_ctx, resourceType) => allOperations(resourceType),
};

/** Who sends the request: its principal and the client's IP (without Kafka's leading `/`). */
export function requester(ctx: RequestContext): Requester {
  const host = ctx.clientHost ?? '';
  return {
    principal: ctx.auth?.principal ?? ANONYMOUS,
    host: host.startsWith('/') ? host.slice(1) : host,
  };
}

export function aclRequestAuthorizer(config: AuthorizerConfig, acls: AclIndex): RequestAuthorizer {
  if (config.kind === 'none') return allowEverything;
  const acl = new AclAuthorizer(
    {
      superUsers: new Set(config.superUsers),
      allowEveryoneIfNoAclFound: config.allowEveryoneIfNoAclFound,
    },
    acls,
  );
  return {
    enabled: true,
    authorize: (ctx, operation, resourceType, name) =>
      acl.authorize(requester(ctx), operation, resourceType, name),
    authorizeByResourceType: (ctx, operation, resourceType) =>
      acl.authorizeByResourceType(requester(ctx), operation, resourceType),
    authorizedOperations: (ctx, resourceType, name) =>
      acl.authorizedOperations(requester(ctx), resourceType, name),
  };
}
