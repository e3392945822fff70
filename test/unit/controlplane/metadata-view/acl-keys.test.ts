import { describe, expect, it } from 'vitest';
import { parseMetadataKey } from '../../../../controlplane/src/metadata-view/metadata-key.js';
import { aclKeyParts, parseAclKeyParts } from '../../../../lib/metadata/acl-records.js';
import { keys } from '../../../../lib/metadata/keys.js';
import type { AclBinding } from '../../../../lib/security/acl/acl-binding.js';

const binding: AclBinding = {
  resourceType: 2,
  resourceName: 'a/b%c *',
  patternType: 4,
  principal: 'User:CN=alice,O=Example',
  host: '*',
  operation: 4,
  permission: 3,
};

describe('ACL binding keys', () => {
  it('name the whole binding, readable, and parse back to it', () => {
    const key = keys.aclBinding(aclKeyParts(binding));
    expect(key).toBe(
      '/kafscale/acl/TOPIC/PREFIXED/a%2Fb%25c%20*/User%3ACN%3Dalice%2CO%3DExample/*/WRITE/ALLOW',
    );
    expect(parseMetadataKey(key)).toEqual({ kind: 'acl', binding });
  });

  it.each([
    [['TOPIC', 'LITERAL', 'x', 'User%3Aa', '*', 'READ']],
    [['TOPIC', 'LITERAL', 'x', 'User%3Aa', '*', 'READ', 'ALLOW', 'extra']],
    [['ANY', 'LITERAL', 'x', 'User%3Aa', '*', 'READ', 'ALLOW']],
    [['TOPIC', 'MATCH', 'x', 'User%3Aa', '*', 'READ', 'ALLOW']],
    [['topic', 'LITERAL', 'x', 'User%3Aa', '*', 'READ', 'ALLOW']],
    [['TOPIC', 'LITERAL', 'x', 'alice', '*', 'READ', 'ALLOW']],
    [['TOPIC', 'LITERAL', '%E0%A4%A', 'User%3Aa', '*', 'READ', 'ALLOW']],
    [['TOPIC', 'LITERAL', 'x', 'User%3Aa', '*', 'ANY', 'ALLOW']],
    [['TOPIC', 'LITERAL', 'x', 'User%3Aa', '*', 'READ', 'MAYBE']],
    [['CLUSTER', 'LITERAL', 'x', 'User%3Aa', '*', 'READ', 'ALLOW']],
  ])('ignores a key that names no valid binding: %j', (parts) => {
    expect(parseAclKeyParts(parts)).toBeUndefined();
    expect(parseMetadataKey(`/kafscale/acl/${parts.join('/')}`)).toBeUndefined();
  });
});
