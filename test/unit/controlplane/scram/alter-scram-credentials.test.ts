/**
 * The controlplane's AlterUserScramCredentials as its gRPC callers reach it (edges send
 * StoredKey and ServerKey, never a salted password): keys that are not the mechanism's
 * length and an upsertion without a credential are refused, nothing of that user is written,
 * and the good user of the same request is written. The Kafka rules themselves
 * are tested through the edge handler (test/unit/edge/handlers/alter-user-scram-credentials).
 */
import { create } from '@bufbuild/protobuf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alterScramCredentials } from '../../../../controlplane/src/scram/alter-scram-credentials.js';
import { MetadataView } from '../../../../controlplane/src/metadata-view/metadata-view.js';
import { AlterUserScramCredentialsRequestSchema } from '../../../../lib/gen/proto/kafscale/controlplane/v1/scram_pb.js';
import { KafkaError } from '../../../../lib/kafka/error-codes.js';
import { keys } from '../../../../lib/metadata/keys.js';
import { credentialFromPassword } from '../../../../lib/security/scram/scram-credential.js';
import {
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  type ScramMechanism,
} from '../../../../lib/security/scram/scram-mechanism.js';
import { MemoryMetadataStore } from '../../../../lib/stores/memory/memory-metadata-store.js';

let store: MemoryMetadataStore;
let view: MetadataView;

beforeEach(async () => {
  store = new MemoryMetadataStore();
  view = await MetadataView.start(store);
});

afterEach(async () => {
  await view.stop();
});

function credential(m: ScramMechanism, change: { storedKey?: Buffer; serverKey?: Buffer } = {}) {
  return { mechanism: m.type, ...credentialFromPassword(m, 'pw'), ...change };
}

async function alterOne(name: string, c: ReturnType<typeof credential> | undefined) {
  const res = await alterScramCredentials(
    store,
    view,
    create(AlterUserScramCredentialsRequestSchema, {
      upsertions: [
        { name, ...(c === undefined ? {} : { credential: c }) },
        { name: 'good', credential: credential(SCRAM_SHA_256) },
      ],
    }),
  );
  return res.results.map((r) => [r.user, r.errorCode]);
}

describe('alterScramCredentials (controlplane)', () => {
  it.each([
    ['a StoredKey one byte short', { storedKey: Buffer.alloc(31, 1) }, SCRAM_SHA_256],
    [
      'a ServerKey of SHA-256 length for SHA-512',
      { serverKey: Buffer.alloc(32, 1) },
      SCRAM_SHA_512,
    ],
    ['an empty StoredKey', { storedKey: Buffer.alloc(0) }, SCRAM_SHA_512],
  ])('refuses %s', async (_what, change, m) => {
    expect(await alterOne('bad', credential(m, change))).toEqual([
      ['bad', KafkaError.UNACCEPTABLE_CREDENTIAL],
      ['good', KafkaError.NONE],
    ]);
    expect((await store.list(keys.scramPrefix())).kvs.map((kv) => kv.key)).toEqual([
      keys.scramCredential('good', SCRAM_SHA_256.name),
    ]);
  });

  it('refuses an upsertion without a credential as an unknown mechanism', async () => {
    expect(await alterOne('bad', undefined)).toEqual([
      ['bad', KafkaError.UNSUPPORTED_SASL_MECHANISM],
      ['good', KafkaError.NONE],
    ]);
  });

  it('keeps user names with a slash apart from the key layout', async () => {
    expect(await alterOne('a/SCRAM-SHA-256', credential(SCRAM_SHA_512))).toEqual([
      ['a/SCRAM-SHA-256', KafkaError.NONE],
      ['good', KafkaError.NONE],
    ]);
    expect(view.scramUserNames()).toEqual(['a/SCRAM-SHA-256', 'good']);
    expect([...view.scramUser('a/SCRAM-SHA-256').keys()]).toEqual([SCRAM_SHA_512.type]);
  });
});
