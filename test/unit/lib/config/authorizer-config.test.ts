import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../lib/config/config.js';
import { ConfigError } from '../../../../lib/config/config-error.js';

describe('authorizer configuration', () => {
  it('has no authorizer by default', () => {
    expect(loadConfig({}).authorizer).toEqual({
      kind: 'none',
      superUsers: [],
      allowEveryoneIfNoAclFound: false,
    });
  });

  it('reads the ACL authorizer, super users (;-separated) and allow-everyone', () => {
    const c = loadConfig({
      KAFSCALE_AUTHORIZER: 'acl',
      KAFSCALE_SUPER_USERS: ' User:admin ; User:CN=ops,O=Example;;User:admin',
      KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'true',
    });
    expect(c.authorizer).toEqual({
      kind: 'acl',
      superUsers: ['User:admin', 'User:CN=ops,O=Example'],
      allowEveryoneIfNoAclFound: true,
    });
    expect(Object.isFrozen(c.authorizer.superUsers)).toBe(true);
  });

  it.each([
    [{ KAFSCALE_AUTHORIZER: 'ranger' }, 'KAFSCALE_AUTHORIZER'],
    [{ KAFSCALE_AUTHORIZER: 'acl', KAFSCALE_SUPER_USERS: 'admin' }, 'KAFSCALE_SUPER_USERS'],
    [{ KAFSCALE_SUPER_USERS: 'User:admin' }, 'KAFSCALE_SUPER_USERS'],
    [
      { KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'true' },
      'KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND',
    ],
    [
      { KAFSCALE_AUTHORIZER: 'acl', KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'maybe' },
      'KAFSCALE_ALLOW_EVERYONE_IF_NO_ACL_FOUND',
    ],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({ name: ConfigError.name, variable }),
    );
  });
});
