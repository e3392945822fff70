/** Kafka's precedence of quota entities, and which clients share a rate at each level. */
import { describe, expect, it } from 'vitest';
import { resolveQuota } from '../../../../edge/src/quota/quota-resolution.js';

const LEVELS: [string, string, string][] = [
  // path, shared by user, shared by client id
  ['users/alice/clients/app', 'alice', 'app'],
  ['users/alice/clients/<default>', 'alice', 'app'],
  ['users/alice', 'alice', ''],
  ['users/<default>/clients/app', 'alice', 'app'],
  ['users/<default>/clients/<default>', 'alice', 'app'],
  ['users/<default>', 'alice', ''],
  ['clients/app', '', 'app'],
  ['clients/<default>', '', 'app'],
];

describe('resolveQuota', () => {
  it.each(LEVELS.map((l, i) => [i + 1, ...l] as const))(
    'level %i (%s) wins over every later one',
    (level, path, rateUser, rateClientId) => {
      const set = new Map(
        LEVELS.slice(level - 1).map(([p], i) => [p, new Map([['producer_byte_rate', 100 + i]])]),
      );
      const resolved = resolveQuota((p) => set.get(p), 'producer_byte_rate', 'alice', 'app');
      expect(resolved).toMatchObject({ bound: 100, rateUser, rateClientId });
      expect(set.get(path)?.get('producer_byte_rate')).toBe(100);
    },
  );

  it('skips entities that have no value for the quota key', () => {
    const set = new Map([
      ['users/alice', new Map([['consumer_byte_rate', 1]])],
      ['clients/<default>', new Map([['producer_byte_rate', 2]])],
    ]);
    expect(resolveQuota((p) => set.get(p), 'producer_byte_rate', 'alice', 'x')).toMatchObject({
      bound: 2,
      rateUser: '',
      rateClientId: 'x',
    });
    expect(resolveQuota((p) => set.get(p), 'request_percentage', 'alice', 'x')).toBeUndefined();
  });

  it('finds names that need encoding', () => {
    const set = new Map([['users/CN%3Da%2CO%3Db', new Map([['producer_byte_rate', 7]])]]);
    expect(resolveQuota((p) => set.get(p), 'producer_byte_rate', 'CN=a,O=b', 'c')?.bound).toBe(7);
  });
});
