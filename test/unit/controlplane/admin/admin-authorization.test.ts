/**
 * The AdminService's ACL rule (admin-authorization.ts): reading methods need DESCRIBE on the
 * cluster, the others ALTER; bindings written to the store reach the rule through the
 * controlplane's metadata view, without a restart; super users pass; `none` has no rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminAuthorization,
  adminOperation,
} from '../../../../controlplane/src/admin/admin-authorization.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { AdminService } from '../../../../lib/gen/proto/kafscale/admin/v1/admin_pb.js';
import { aclKeyParts, encodeAclValue } from '../../../../lib/metadata/acl-records.js';
import { keys } from '../../../../lib/metadata/keys.js';
import {
  AclOperation,
  AclPermission,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  ResourceType,
  type AclBinding,
} from '../../../../lib/security/acl/acl-binding.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

const method = (name: string) => {
  const m = AdminService.methods.find((x) => x.name === name);
  if (m === undefined) throw new Error(`no AdminService method ${name}`);
  return m;
};
const clusterAcl = (principal: string, operation: number, permission: number): AclBinding => ({
  resourceType: ResourceType.CLUSTER,
  resourceName: CLUSTER_RESOURCE_NAME,
  patternType: PatternType.LITERAL,
  principal,
  host: '*',
  operation,
  permission,
});
const settings = { superUsers: ['User:root'], allowEveryoneIfNoAclFound: false };
let view: MetadataView | undefined;

afterEach(async () => {
  await view?.stop();
  view = undefined;
});

async function write(store: MemoryMetadataStore, b: AclBinding): Promise<void> {
  await store.txn(
    [],
    [{ type: 'put', key: keys.aclBinding(aclKeyParts(b)), value: encodeAclValue() }],
  );
}

describe('the AdminService ACL rule', () => {
  it('maps reading methods to DESCRIBE and the rest to ALTER', () => {
    expect(adminOperation(method('ListTopics'))).toBe(AclOperation.DESCRIBE);
    expect(adminOperation(method('GetClusterStatus'))).toBe(AclOperation.DESCRIBE);
    expect(adminOperation(method('DescribeGroup'))).toBe(AclOperation.DESCRIBE);
    expect(adminOperation(method('CreateTopic'))).toBe(AclOperation.ALTER);
    expect(adminOperation(method('DrainStorageNode'))).toBe(AclOperation.ALTER);
    expect(adminOperation(method('ResetGroupOffsets'))).toBe(AclOperation.ALTER);
  });

  it('follows the bindings in the view: DESCRIBE reads, ALTER writes too; super users pass', async () => {
    const store = new MemoryMetadataStore();
    view = await MetadataView.start(store);
    const rule = adminAuthorization({ kind: 'acl', ...settings }, view);
    if (rule === undefined) throw new Error('the acl authorizer gave no rule');
    const may = (principal: string, name: string) =>
      rule.authorize(principal, '10.0.0.7', method(name));
    expect([may('User:ops', 'ListTopics'), may('User:ops', 'CreateTopic')]).toEqual([false, false]);
    expect(may('User:root', 'DrainStorageNode')).toBe(true);

    await write(store, clusterAcl('User:viewer', AclOperation.DESCRIBE, AclPermission.ALLOW));
    await write(store, clusterAcl('User:ops', AclOperation.ALTER, AclPermission.ALLOW));
    await expect.poll(() => may('User:ops', 'CreateTopic')).toBe(true);
    expect(may('User:ops', 'ListTopics')).toBe(true); // ALTER implies DESCRIBE
    expect([may('User:viewer', 'ListTopics'), may('User:viewer', 'CreateTopic')]).toEqual([
      true,
      false,
    ]);

    await write(store, clusterAcl('User:ops', AclOperation.ALL, AclPermission.DENY));
    await expect.poll(() => may('User:ops', 'ListTopics')).toBe(false); // deny wins
    rule.stop();
  });

  it('has no rule when the authorizer is off', async () => {
    view = await MetadataView.start(new MemoryMetadataStore());
    expect(adminAuthorization({ kind: 'none', ...settings }, view)).toBeUndefined();
  });
});
