/**
 * AlterUserScramCredentials (key 51) through the Kafka wire codec: the edge handler over the
 * controlplane's real rules (controlplane/src/scram/alter-scram-credentials.ts) on an
 * in-memory metadata store, as Apache Kafka answers them:
 * - an empty user name is UNACCEPTABLE_CREDENTIAL, an unknown mechanism
 *   UNSUPPORTED_SASL_MECHANISM, iterations outside 4096-16384 UNACCEPTABLE_CREDENTIAL (the
 *   bounds themselves accepted), an empty salt or salted password UNACCEPTABLE_CREDENTIAL;
 * - the same credential (user and mechanism) changed twice in one request is
 *   DUPLICATE_RESOURCE, deleting a credential that does not exist RESOURCE_NOT_FOUND;
 * - a user with any error keeps what it had (its other changes in the request are not
 *   applied), one result per user, and other users' changes go through;
 * - a salted password of any non-empty length is taken (it is an HMAC key, as in Kafka);
 * - no controlplane: REQUEST_TIMED_OUT for each user named, once.
 *
 * One difference from Kafka 4's KRaft controller is pinned here on purpose: two mechanisms
 * of one user in one request are accepted, as Kafka's ZooKeeper-mode broker accepted them
 * (its duplicate check was per user and mechanism); ScramControlManager refuses any user
 * named twice, so `kafka-configs --add-config 'SCRAM-SHA-256=[...],SCRAM-SHA-512=[...]'`
 * fails against KRaft and works here.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alterScramCredentials } from '../../../../controlplane/src/scram/alter-scram-credentials.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { alterUserScramCredentialsHandler } from '../../../../edge/src/handlers/51-alter-user-scram-credentials.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import type { AlterUserScramCredentialsRequest } from '../../../../lib/kafka/gen/index.js';
import {
  credentialFromSaltedPassword,
  saltedPassword,
} from '../../../../lib/security/scram/scram-credential.js';
import {
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  type ScramMechanism,
} from '../../../../lib/security/scram/scram-mechanism.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';
import { FakeControlplane } from './config-harness.js';
import { roundTrip } from './group-harness.js';

type Upsertion = AlterUserScramCredentialsRequest['upsertions'][number];
type Deletion = AlterUserScramCredentialsRequest['deletions'][number];

let store: MemoryMetadataStore;
let view: MetadataView;
let controlplane: FakeControlplane;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  view = await MetadataView.start(store);
  controlplane = new FakeControlplane({
    alterUserScramCredentials: (req) => alterScramCredentials(store, view, req),
  });
});

afterEach(async () => {
  await view.stop();
});

/** What kafka-configs sends: a fresh salt and PBKDF2 of the password, never the password. */
function upsert(
  name: string,
  m: ScramMechanism,
  options: Partial<Upsertion> & { password?: string } = {},
): Upsertion {
  const salt = options.salt ?? randomBytes(m.keyBytes);
  const iterations = options.iterations ?? 4096;
  return {
    name,
    mechanism: options.mechanism ?? m.type,
    iterations,
    salt,
    saltedPassword:
      options.saltedPassword ?? saltedPassword(m, options.password ?? 'pw', salt, iterations),
  };
}

const remove = (name: string, m: ScramMechanism | number): Deletion => ({
  name,
  mechanism: typeof m === 'number' ? m : m.type,
});

async function alter(upsertions: Upsertion[], deletions: Deletion[] = []) {
  const res = await roundTrip(alterUserScramCredentialsHandler(controlplane.client), 0, {
    deletions,
    upsertions,
  });
  return Object.fromEntries(
    res.results.map((r) => [r.user, { code: r.errorCode, message: r.errorMessage }]),
  );
}

/** The user's mechanisms and iteration counts, as this controlplane now sees them. */
function credentialsOf(user: string): [number, number][] {
  return [...view.scramUser(user)].map(([type, c]) => [type, c.iterations]);
}

const ok = { code: KafkaError.NONE, message: null };

describe('AlterUserScramCredentials', () => {
  it('stores both mechanisms of a user from one request, and deletes one', async () => {
    const upsertion = upsert('alice', SCRAM_SHA_256, { iterations: 8192, password: 'secret' });
    expect(await alter([upsertion, upsert('alice', SCRAM_SHA_512)])).toEqual({ alice: ok });
    expect(credentialsOf('alice')).toEqual([
      [1, 8192],
      [2, 4096],
    ]);
    const stored = view.scramUser('alice').get(1);
    const expected = credentialFromSaltedPassword(
      SCRAM_SHA_256,
      upsertion.salt,
      upsertion.saltedPassword,
      8192,
    );
    expect(Buffer.from(stored?.storedKey ?? [])).toEqual(Buffer.from(expected.storedKey));
    expect(Buffer.from(stored?.serverKey ?? [])).toEqual(Buffer.from(expected.serverKey));

    expect(await alter([], [remove('alice', SCRAM_SHA_512)])).toEqual({ alice: ok });
    expect(credentialsOf('alice')).toEqual([[1, 8192]]);
  });

  it.each([
    ['an upsertion', [upsert('', SCRAM_SHA_256)], []],
    ['a deletion', [], [remove('', SCRAM_SHA_256)]],
  ])('refuses an empty user name in %s', async (_what, upsertions, deletions) => {
    expect(await alter(upsertions, deletions)).toEqual({
      '': { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message: 'Username must not be empty' },
    });
    expect(view.scramUserNames()).toEqual([]);
  });

  it.each([0, 3, -1])('refuses mechanism type %i in upsertions and deletions', async (type) => {
    const unknown = {
      code: KafkaError.UNSUPPORTED_SASL_MECHANISM,
      message: 'Unknown SCRAM mechanism',
    };
    expect(
      await alter([upsert('alice', SCRAM_SHA_256, { mechanism: type })], [remove('bob', type)]),
    ).toEqual({ alice: unknown, bob: unknown });
    expect(view.scramUserNames()).toEqual([]);
  });

  it.each([
    [4095, 'Too few iterations'],
    [0, 'Too few iterations'],
    [-4096, 'Too few iterations'],
    [16385, 'Too many iterations'],
    [2 ** 31 - 1, 'Too many iterations'],
  ])('refuses %i iterations', async (iterations, message) => {
    const salt = randomBytes(32);
    const u = upsert('alice', SCRAM_SHA_256, {
      iterations,
      salt,
      // Only the count is wrong: the salted password is made with a count PBKDF2 takes.
      saltedPassword: saltedPassword(SCRAM_SHA_256, 'pw', salt, 4096),
    });
    expect(await alter([u])).toEqual({
      alice: { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message },
    });
    expect(credentialsOf('alice')).toEqual([]);
  });

  it('accepts the bounds, 4096 and 16384 iterations', async () => {
    expect(
      await alter([
        upsert('alice', SCRAM_SHA_256, { iterations: 4096 }),
        upsert('alice', SCRAM_SHA_512, { iterations: 16384 }),
      ]),
    ).toEqual({ alice: ok });
    expect(credentialsOf('alice')).toEqual([
      [1, 4096],
      [2, 16384],
    ]);
  });

  it.each([
    ['an empty salt', { salt: new Uint8Array(0) }, 'Salt must not be empty'],
    [
      'an empty salted password',
      { saltedPassword: new Uint8Array(0) },
      'Salted password must not be empty',
    ],
  ])('refuses %s', async (_what, fields, message) => {
    expect(await alter([upsert('alice', SCRAM_SHA_512, fields)])).toEqual({
      alice: { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message },
    });
    expect(credentialsOf('alice')).toEqual([]);
  });

  it('takes a salted password and a salt of any other length, as Kafka does', async () => {
    expect(
      await alter([
        upsert('alice', SCRAM_SHA_256, { salt: randomBytes(1), saltedPassword: randomBytes(5) }),
        upsert('alice', SCRAM_SHA_512, { saltedPassword: randomBytes(200) }),
      ]),
    ).toEqual({ alice: ok });
    const keyBytes = [...view.scramUser('alice').values()].map((c) => [
      c.storedKey.length,
      c.serverKey.length,
    ]);
    expect(keyBytes).toEqual([
      [32, 32],
      [64, 64],
    ]);
  });

  it.each([
    ['two upsertions', [upsert('alice', SCRAM_SHA_256), upsert('alice', SCRAM_SHA_256)], []],
    [
      'an upsertion and a deletion',
      [upsert('alice', SCRAM_SHA_256)],
      [remove('alice', SCRAM_SHA_256)],
    ],
    ['two deletions', [], [remove('alice', SCRAM_SHA_256), remove('alice', SCRAM_SHA_256)]],
  ])(
    'refuses one credential changed twice (%s), applying none of the user’s changes',
    async (_what, upsertions, deletions) => {
      await alter([upsert('alice', SCRAM_SHA_256, { iterations: 8192 })]);
      expect(
        await alter(
          [...upsertions, upsert('alice', SCRAM_SHA_512), upsert('bob', SCRAM_SHA_256)],
          deletions,
        ),
      ).toEqual({
        alice: {
          code: KafkaError.DUPLICATE_RESOURCE,
          message: 'A user credential cannot be altered twice in the same request',
        },
        bob: ok,
      });
      expect(credentialsOf('alice')).toEqual([[1, 8192]]);
      expect(credentialsOf('bob')).toEqual([[1, 4096]]);
    },
  );

  it('refuses deleting a credential that does not exist, applying none of the user’s changes', async () => {
    await alter([upsert('alice', SCRAM_SHA_256, { iterations: 8192 })]);
    expect(
      await alter(
        [upsert('alice', SCRAM_SHA_256, { iterations: 4096 }), upsert('bob', SCRAM_SHA_512)],
        [remove('alice', SCRAM_SHA_512), remove('carol', SCRAM_SHA_256)],
      ),
    ).toEqual({
      alice: {
        code: KafkaError.RESOURCE_NOT_FOUND,
        message: 'Attempt to delete a user credential that does not exist',
      },
      carol: {
        code: KafkaError.RESOURCE_NOT_FOUND,
        message: 'Attempt to delete a user credential that does not exist',
      },
      bob: ok,
    });
    expect(credentialsOf('alice')).toEqual([[1, 8192]]);
    expect(view.scramUserNames()).toEqual(['alice', 'bob']);
  });

  it('keeps a user’s first error when it has several', async () => {
    expect(
      await alter([
        upsert('alice', SCRAM_SHA_256, { iterations: 1 }),
        upsert('alice', SCRAM_SHA_512, { mechanism: 9 }),
      ]),
    ).toEqual({
      alice: { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message: 'Too few iterations' },
    });
  });

  it('answers REQUEST_TIMED_OUT once per user when the controlplane does not answer', async () => {
    controlplane.failing = true;
    const timedOut = {
      code: KafkaError.REQUEST_TIMED_OUT,
      message: 'the controlplane did not answer',
    };
    expect(
      await alter(
        [upsert('alice', SCRAM_SHA_256), upsert('alice', SCRAM_SHA_512)],
        [remove('bob', SCRAM_SHA_256)],
      ),
    ).toEqual({ alice: timedOut, bob: timedOut });
  });
});
