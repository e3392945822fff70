import { describe, expect, it } from 'vitest';
import {
  AclOperation as Op,
  AclPermission,
  PatternType,
  ResourceType,
  knownCode,
  type AclBinding,
} from '../../../../../lib/security/acl/acl-binding.js';
import {
  filterMatches,
  filterProblem,
  type AclBindingFilter,
} from '../../../../../lib/security/acl/acl-filter.js';
import { bindingProblem } from '../../../../../lib/security/acl/acl-validation.js';

const literal: AclBinding = {
  resourceType: ResourceType.TOPIC,
  resourceName: 'team-a.orders',
  patternType: PatternType.LITERAL,
  principal: 'User:alice',
  host: '*',
  operation: Op.READ,
  permission: AclPermission.ALLOW,
};
const prefixed: AclBinding = { ...literal, resourceName: 'team-a.', patternType: 4 };
const star: AclBinding = { ...literal, resourceName: '*' };
const group: AclBinding = { ...literal, resourceType: ResourceType.GROUP };

const ANY: AclBindingFilter = {
  resourceType: ResourceType.ANY,
  resourceName: null,
  patternType: PatternType.ANY,
  principal: null,
  host: null,
  operation: Op.ANY,
  permission: AclPermission.ANY,
};

const matched = (f: Partial<AclBindingFilter>) =>
  [literal, prefixed, star, group].filter((b) => filterMatches({ ...ANY, ...f }, b));

describe('ACL binding filters', () => {
  it('the ANY filter matches everything', () => {
    expect(matched({})).toEqual([literal, prefixed, star, group]);
  });

  it('filters by resource type and pattern type', () => {
    expect(matched({ resourceType: ResourceType.GROUP })).toEqual([group]);
    expect(matched({ patternType: PatternType.PREFIXED })).toEqual([prefixed]);
    expect(matched({ resourceType: ResourceType.TOPIC, patternType: 3 })).toEqual([literal, star]);
  });

  it('a name with LITERAL or ANY matches that exact name only', () => {
    expect(matched({ resourceName: 'team-a.orders', patternType: PatternType.LITERAL })).toEqual([
      literal,
      group,
    ]);
    expect(matched({ resourceName: 'team-a.', patternType: PatternType.ANY })).toEqual([prefixed]);
  });

  it('MATCH with a name finds every pattern that applies to it', () => {
    expect(
      matched({
        resourceType: ResourceType.TOPIC,
        resourceName: 'team-a.orders',
        patternType: PatternType.MATCH,
      }),
    ).toEqual([literal, prefixed, star]);
    expect(
      matched({
        resourceType: ResourceType.TOPIC,
        resourceName: 'team-b.x',
        patternType: PatternType.MATCH,
      }),
    ).toEqual([star]);
  });

  it('principal, host, operation and permission filters compare exactly', () => {
    expect(matched({ principal: 'User:*' })).toEqual([]);
    expect(matched({ principal: 'User:alice', host: '*' })).toHaveLength(4);
    expect(matched({ host: '10.0.0.1' })).toEqual([]);
    expect(matched({ operation: Op.WRITE })).toEqual([]);
    expect(matched({ operation: Op.READ, permission: AclPermission.DENY })).toEqual([]);
  });

  it('refuses filters with UNKNOWN parts', () => {
    expect(filterProblem(ANY)).toBeUndefined();
    for (const part of ['resourceType', 'patternType', 'operation', 'permission'] as const)
      for (const code of [0, 99, -1])
        expect(filterProblem({ ...ANY, [part]: code }), `${part} ${code}`).toMatch(/unknown/);
  });

  it('reads codes outside Kafka tables as UNKNOWN', () => {
    expect(knownCode(ResourceType, 5)).toBe(5);
    expect(knownCode(ResourceType, 99)).toBe(0);
    expect(knownCode(Op, -1)).toBe(0);
  });
});

describe('ACL bindings CreateAcls accepts', () => {
  it('accepts literal and prefixed bindings of the known types', () => {
    expect(bindingProblem(literal)).toBeUndefined();
    expect(bindingProblem(prefixed)).toBeUndefined();
    expect(
      bindingProblem({
        ...literal,
        resourceType: ResourceType.CLUSTER,
        resourceName: 'kafka-cluster',
      }),
    ).toBeUndefined();
    expect(bindingProblem({ ...literal, resourceType: ResourceType.TRANSACTIONAL_ID })).toBe(
      undefined,
    );
  });

  it.each([
    [{ resourceType: ResourceType.ANY }, /Invalid resourceType ANY/],
    [{ resourceType: 0 }, /Invalid resourceType UNKNOWN/],
    [{ resourceType: 42 }, /Invalid resourceType/],
    [{ patternType: PatternType.MATCH }, /Invalid patternType MATCH/],
    [{ patternType: PatternType.ANY }, /Invalid patternType ANY/],
    [{ operation: Op.ANY }, /Invalid operation ANY/],
    [{ operation: 77 }, /Invalid operation/],
    [{ permission: AclPermission.ANY }, /Invalid permissionType ANY/],
    [{ resourceName: '' }, /should not be empty/],
    [{ resourceType: ResourceType.CLUSTER, resourceName: 'other' }, /kafka-cluster/],
    [{ principal: 'alice' }, /no colon/],
    [{ principal: ':alice' }, /empty principal type/],
    [{ host: '' }, /Host should not be empty/],
    [{ resourceName: 'x'.repeat(2000) }, /longer than/],
  ] as const)('refuses %j', (change, message) => {
    expect(bindingProblem({ ...literal, ...change })).toMatch(message);
  });
});
