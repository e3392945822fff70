/** Entity paths: every shape round-trips, a user literally named `<default>` is not the default. */
import { describe, expect, it } from 'vitest';
import {
  entityPath,
  entityText,
  parseEntityPath,
  type ClientQuotaEntity,
} from '../../../../lib/quota/quota-entity.js';
import { parseQuotaKeyParts } from '../../../../lib/metadata/quota-records.js';

const shapes: [ClientQuotaEntity, string][] = [
  [{ user: 'alice', clientId: undefined }, 'users/alice'],
  [{ user: null, clientId: undefined }, 'users/<default>'],
  [{ user: '<default>', clientId: undefined }, 'users/%3Cdefault%3E'],
  [{ user: 'CN=a,O=b', clientId: 'app/1' }, 'users/CN%3Da%2CO%3Db/clients/app%2F1'],
  [{ user: null, clientId: null }, 'users/<default>/clients/<default>'],
  [{ user: undefined, clientId: null }, 'clients/<default>'],
];

describe('client quota entity paths', () => {
  it.each(shapes)('%o is %s and back', (entity, path) => {
    expect(entityPath(entity)).toBe(path);
    expect(parseEntityPath(path.split('/'))).toEqual(entity);
  });

  it('refuses paths that name no entity', () => {
    for (const p of [
      'users',
      'users/',
      'clients/a/users/b',
      'groups/a',
      'users/a/clients',
      'users/%E0',
    ])
      expect(parseEntityPath(p.split('/'))).toBeUndefined();
    expect(() => entityPath({ user: undefined, clientId: undefined })).toThrow(RangeError);
  });

  it('reads the quota key after the entity and ignores unknown keys', () => {
    expect(parseQuotaKeyParts(['users', 'a', 'clients', 'b', 'producer_byte_rate'])).toEqual({
      entity: { user: 'a', clientId: 'b' },
      quotaKey: 'producer_byte_rate',
    });
    expect(parseQuotaKeyParts(['users', 'a', 'connection_creation_rate'])).toBeUndefined();
  });

  it('prints as Kafka does', () => {
    expect(entityText({ user: 'alice', clientId: null })).toBe('user=alice, client-id=<default>');
  });
});
