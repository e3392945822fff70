import { describe, expect, it } from 'vitest';
import {
  AclOperation as Op,
  AclPermission,
  PatternType,
  ResourceType,
  type AclBinding,
} from '../../../../../lib/security/acl/acl-binding.js';
import {
  AclAuthorizer,
  type AuthorizerSettings,
} from '../../../../../lib/security/acl/acl-authorizer.js';
import { AclIndex } from '../../../../../lib/security/acl/acl-index.js';

const alice = { principal: 'User:alice', host: '10.0.0.1' };
const bob = { principal: 'User:bob', host: '10.0.0.2' };

function acl(partial: Partial<AclBinding>): AclBinding {
  return {
    resourceType: ResourceType.TOPIC,
    resourceName: 'orders',
    patternType: PatternType.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: Op.READ,
    permission: AclPermission.ALLOW,
    ...partial,
  };
}

function authorizer(
  bindings: AclBinding[],
  settings: Partial<AuthorizerSettings> = {},
): AclAuthorizer & { acls: AclIndex } {
  const index = new AclIndex();
  index.replaceAll(bindings);
  const a = new AclAuthorizer(
    { superUsers: new Set(), allowEveryoneIfNoAclFound: false, ...settings },
    index,
  );
  return Object.assign(a, { acls: index });
}

const topic = (a: AclAuthorizer, who: typeof alice, op: number, name = 'orders') =>
  a.authorize(who, op, ResourceType.TOPIC, name);

describe('ACL authorizer', () => {
  it('allows exactly what an ALLOW binding names, for its principal', () => {
    const a = authorizer([acl({})]);
    expect(topic(a, alice, Op.READ)).toBe(true);
    expect(topic(a, alice, Op.WRITE)).toBe(false);
    expect(topic(a, bob, Op.READ)).toBe(false);
    expect(topic(a, alice, Op.READ, 'orders2')).toBe(false);
    expect(a.authorize(alice, Op.READ, ResourceType.GROUP, 'orders')).toBe(false);
  });

  it('READ, WRITE, DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS', () => {
    for (const op of [Op.READ, Op.WRITE, Op.DELETE, Op.ALTER]) {
      const a = authorizer([acl({ operation: op })]);
      expect(topic(a, alice, Op.DESCRIBE), `op ${op}`).toBe(true);
      expect(topic(a, alice, Op.DESCRIBE_CONFIGS), `op ${op}`).toBe(false);
    }
    for (const op of [Op.CREATE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS]) {
      const a = authorizer([acl({ operation: op })]);
      expect(topic(a, alice, Op.DESCRIBE), `op ${op}`).toBe(false);
    }
    const configs = authorizer([acl({ operation: Op.ALTER_CONFIGS })]);
    expect(topic(configs, alice, Op.DESCRIBE_CONFIGS)).toBe(true);
    expect(topic(configs, alice, Op.ALTER)).toBe(false);
    const describe = authorizer([acl({ operation: Op.DESCRIBE })]);
    expect(topic(describe, alice, Op.READ)).toBe(false);
  });

  it('ALL allows every operation, and a DENY of ALL refuses every one', () => {
    const a = authorizer([acl({ operation: Op.ALL })]);
    for (const op of [Op.READ, Op.WRITE, Op.DESCRIBE, Op.ALTER_CONFIGS])
      expect(topic(a, alice, op)).toBe(true);
    a.acls.add(acl({ operation: Op.ALL, permission: AclPermission.DENY }));
    for (const op of [Op.READ, Op.WRITE, Op.DESCRIBE, Op.ALTER_CONFIGS])
      expect(topic(a, alice, op)).toBe(false);
  });

  it('deny beats allow, from any pattern, but a denied operation does not deny what it implies', () => {
    const a = authorizer([
      acl({ operation: Op.ALL }),
      acl({
        resourceName: 'ord',
        patternType: PatternType.PREFIXED,
        operation: Op.WRITE,
        permission: AclPermission.DENY,
      }),
    ]);
    expect(topic(a, alice, Op.WRITE)).toBe(false);
    expect(topic(a, alice, Op.READ)).toBe(true);
    expect(topic(a, alice, Op.DESCRIBE)).toBe(true);
    const wildcard = authorizer([
      acl({ operation: Op.READ }),
      acl({ resourceName: '*', principal: 'User:*', permission: AclPermission.DENY }),
    ]);
    expect(topic(wildcard, alice, Op.READ)).toBe(false);
  });

  it('a prefixed pattern covers the names that start with it and no others', () => {
    const a = authorizer([
      acl({ resourceName: 'team-a.', patternType: PatternType.PREFIXED, operation: Op.WRITE }),
    ]);
    expect(topic(a, alice, Op.WRITE, 'team-a.orders')).toBe(true);
    expect(topic(a, alice, Op.WRITE, 'team-a.')).toBe(true);
    expect(topic(a, alice, Op.WRITE, 'team-a')).toBe(false);
    expect(topic(a, alice, Op.WRITE, 'team-b.orders')).toBe(false);
    expect(topic(a, alice, Op.WRITE, 'x.team-a.orders')).toBe(false);
  });

  it('a literal pattern is not a prefix, and a literal `*` covers every name of its type', () => {
    const literal = authorizer([acl({ resourceName: 'team-a.', operation: Op.WRITE })]);
    expect(topic(literal, alice, Op.WRITE, 'team-a.orders')).toBe(false);
    const star = authorizer([acl({ resourceName: '*', operation: Op.WRITE })]);
    expect(topic(star, alice, Op.WRITE, 'anything')).toBe(true);
    expect(star.authorize(alice, Op.WRITE, ResourceType.GROUP, 'anything')).toBe(false);
    const prefixedStar = authorizer([
      acl({ resourceName: '*', patternType: PatternType.PREFIXED, operation: Op.WRITE }),
    ]);
    expect(topic(prefixedStar, alice, Op.WRITE, 'anything')).toBe(false);
    expect(topic(prefixedStar, alice, Op.WRITE, '*anything')).toBe(true);
  });

  it('the wildcard principal User:* matches every principal; hosts match exactly or by *', () => {
    const a = authorizer([acl({ principal: 'User:*', host: '10.0.0.1' })]);
    expect(topic(a, alice, Op.READ)).toBe(true);
    expect(topic(a, { ...bob, host: '10.0.0.1' }, Op.READ)).toBe(true);
    expect(topic(a, bob, Op.READ)).toBe(false);
    const byHost = authorizer([
      acl({ host: '*' }),
      acl({ host: '10.0.0.9', permission: AclPermission.DENY }),
    ]);
    expect(topic(byHost, alice, Op.READ)).toBe(true);
    expect(topic(byHost, { ...alice, host: '10.0.0.9' }, Op.READ)).toBe(false);
  });

  it('super users may do everything, even against a DENY', () => {
    const a = authorizer(
      [acl({ principal: 'User:admin', operation: Op.ALL, permission: AclPermission.DENY })],
      { superUsers: new Set(['User:admin']) },
    );
    const admin = { principal: 'User:admin', host: '1.2.3.4' };
    expect(topic(a, admin, Op.WRITE)).toBe(true);
    expect(a.authorize(admin, Op.ALTER, ResourceType.CLUSTER, 'kafka-cluster')).toBe(true);
    expect(topic(a, alice, Op.WRITE)).toBe(false);
  });

  it('allow.everyone.if.no.acl.found opens only resources that no binding applies to', () => {
    const open = authorizer([acl({ principal: 'User:bob' })], {
      allowEveryoneIfNoAclFound: true,
    });
    expect(topic(open, alice, Op.WRITE, 'other')).toBe(true);
    // orders has a binding (for bob): alice is refused there.
    expect(topic(open, alice, Op.READ)).toBe(false);
    expect(topic(open, bob, Op.READ)).toBe(true);
    const closed = authorizer([]);
    expect(topic(closed, alice, Op.WRITE, 'other')).toBe(false);
  });

  it('allows only super users until the first set of bindings is loaded', () => {
    const index = new AclIndex();
    const a = new AclAuthorizer(
      { superUsers: new Set(['User:admin']), allowEveryoneIfNoAclFound: true },
      index,
    );
    index.add(acl({}));
    expect(topic(a, alice, Op.READ)).toBe(false);
    expect(topic(a, { principal: 'User:admin', host: '1.2.3.4' }, Op.READ)).toBe(true);
    index.replaceAll([acl({})]);
    expect(topic(a, alice, Op.READ)).toBe(true);
    expect(topic(a, bob, Op.READ, 'unbound')).toBe(true);
  });

  it('forgets cached decisions when bindings change', () => {
    const a = authorizer([]);
    expect(topic(a, alice, Op.READ)).toBe(false);
    const binding = acl({});
    a.acls.add(binding);
    expect(topic(a, alice, Op.READ)).toBe(true);
    a.acls.add(binding);
    expect(a.acls.size).toBe(1);
    a.acls.remove(binding);
    expect(topic(a, alice, Op.READ)).toBe(false);
    a.acls.replaceAll([binding, binding]);
    expect(topic(a, alice, Op.READ)).toBe(true);
    expect(a.acls.size).toBe(1);
    expect(a.acls.all()).toEqual([binding]);
  });

  it('authorizes by resource type as Kafka: some ALLOW not wholly covered by a DENY', () => {
    const write = (bindings: AclBinding[]) =>
      authorizer(bindings).authorizeByResourceType(alice, Op.WRITE, ResourceType.TOPIC);
    expect(write([])).toBe(false);
    expect(write([acl({ operation: Op.WRITE })])).toBe(true);
    expect(write([acl({ operation: Op.READ })])).toBe(false);
    expect(write([acl({ operation: Op.WRITE }), acl({ operation: Op.WRITE, permission: 2 })])).toBe(
      false,
    );
    expect(
      write([
        acl({ operation: Op.WRITE }),
        acl({
          resourceName: 'or',
          patternType: PatternType.PREFIXED,
          operation: Op.WRITE,
          permission: AclPermission.DENY,
        }),
      ]),
    ).toBe(false);
    expect(
      write([
        acl({ resourceName: 'orders', patternType: PatternType.PREFIXED, operation: Op.WRITE }),
        acl({ operation: Op.WRITE, permission: AclPermission.DENY }),
      ]),
    ).toBe(true);
    expect(
      write([
        acl({ operation: Op.ALL }),
        acl({ resourceName: '*', operation: Op.WRITE, permission: AclPermission.DENY }),
      ]),
    ).toBe(false);
    expect(
      authorizer([], { allowEveryoneIfNoAclFound: true }).authorizeByResourceType(
        alice,
        Op.WRITE,
        ResourceType.TOPIC,
      ),
    ).toBe(true);
  });

  it('reports authorized operations as Kafka bit fields', () => {
    const a = authorizer([acl({ operation: Op.WRITE })]);
    const bits = a.authorizedOperations(alice, ResourceType.TOPIC, 'orders');
    expect(bits).toBe((1 << Op.WRITE) | (1 << Op.DESCRIBE));
    expect(a.authorizedOperations(bob, ResourceType.TOPIC, 'orders')).toBe(0);
  });
});
