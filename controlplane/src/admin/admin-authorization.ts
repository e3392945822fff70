/**
 * Which principals may call which AdminService methods, by the same ACLs the edges enforce
 * (docs/security.md, "The admin API"): the methods that only read need DESCRIBE on the
 * cluster, every other one ALTER on the cluster (super users may do everything; ALTER
 * implies DESCRIBE). The bindings come from the controlplane's own metadata view, kept in an
 * index that follows its changes: no etcd read per call. With KAFSCALE_AUTHORIZER=none
 * there is no rule beyond authentication.
 */
import type { DescMethod } from '@bufbuild/protobuf';
import type { AuthorizerConfig } from '../../../lib/config/authorizer-config.js';
import { AclAuthorizer } from '../../../lib/security/acl/acl-authorizer.js';
import {
  AclOperation,
  CLUSTER_RESOURCE_NAME,
  ResourceType,
} from '../../../lib/security/acl/acl-binding.js';
import { AclIndex } from '../../../lib/security/acl/acl-index.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

/** AdminService methods that change nothing. */
const READ_ONLY_METHODS = new Set([
  'GetClusterStatus',
  'ListTopics',
  'DescribeTopic',
  'ListAssignments',
  'ListGroups',
  'DescribeGroup',
]);

export type AdminAuthorize = (principal: string, host: string, method: DescMethod) => boolean;

/** The operation on the cluster an AdminService method needs. */
export function adminOperation(method: DescMethod): number {
  return READ_ONLY_METHODS.has(method.name) ? AclOperation.DESCRIBE : AclOperation.ALTER;
}

/** Undefined when the authorizer is off; stop() unsubscribes from the view. */
export function adminAuthorization(
  config: AuthorizerConfig,
  view: MetadataView,
): { readonly authorize: AdminAuthorize; stop(): void } | undefined {
  if (config.kind === 'none') return undefined;
  const index = new AclIndex();
  index.replaceAll(view.aclBindings());
  const stop = view.subscribe((change) => {
    if (change.reset || change.changes.aclBindings.size > 0) index.replaceAll(view.aclBindings());
  });
  const acl = new AclAuthorizer(
    {
      superUsers: new Set(config.superUsers),
      allowEveryoneIfNoAclFound: config.allowEveryoneIfNoAclFound,
    },
    index,
  );
  return {
    authorize: (principal, host, method) =>
      acl.authorize(
        { principal, host },
        adminOperation(method),
        ResourceType.CLUSTER,
        CLUSTER_RESOURCE_NAME,
      ),
    stop,
  };
}
