/**
 * AlterUserScramCredentials on the controlplane, with Kafka's rules (ScramControlManager):
 * a (user, mechanism) named twice in one request is DUPLICATE_RESOURCE, an unknown mechanism
 * UNSUPPORTED_SASL_MECHANISM, iterations outside 4096-16384 or an empty name, salt or key
 * UNACCEPTABLE_CREDENTIAL, deleting a credential that does not exist RESOURCE_NOT_FOUND.
 * All changes of one user go to etcd in one transaction (the deletions' existence compared
 * in it), so a user's changes are applied together or not at all; a user with any error has
 * none applied. Any replica may serve it: etcd's transaction is the only arbiter.
 */
import { create } from '@bufbuild/protobuf';
import {
  AlterUserScramCredentialsResponseSchema,
  ScramUserResultSchema,
  type AlterUserScramCredentialsRequest,
  type AlterUserScramCredentialsResponse,
  type ScramCredential as ScramCredentialMessage,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/scram_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { keys } from '../../../lib/metadata/keys.js';
import { encodeScramCredential } from '../../../lib/metadata/scram-records.js';
import {
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  scramMechanismByType,
  type ScramMechanism,
} from '../../../lib/security/scram/scram-mechanism.js';
import type { Compare, MetadataStore, TxnOp } from '../../../lib/stores/metadata-store.js';
import { untilRevision } from '../metadata-view/await-view.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

interface UserChanges {
  readonly compares: Compare[];
  readonly ops: TxnOp[];
  error?: { readonly code: number; readonly message: string };
}

/** Why an upserted credential is unacceptable, or undefined when it is fine. */
function credentialProblem(m: ScramMechanism, c: ScramCredentialMessage): string | undefined {
  if (c.iterations < MIN_SCRAM_ITERATIONS) return 'Too few iterations';
  if (c.iterations > MAX_SCRAM_ITERATIONS) return 'Too many iterations';
  if (c.salt.length === 0) return 'Salt must not be empty';
  if (c.storedKey.length !== m.keyBytes || c.serverKey.length !== m.keyBytes)
    return 'Salted password must not be empty';
  return undefined;
}

export async function alterScramCredentials(
  store: MetadataStore,
  view: MetadataView,
  req: AlterUserScramCredentialsRequest,
): Promise<AlterUserScramCredentialsResponse> {
  const users = new Map<string, UserChanges>();
  const named = new Set<string>();
  const changesOf = (user: string): UserChanges => {
    let c = users.get(user);
    if (c === undefined) {
      c = { compares: [], ops: [] };
      users.set(user, c);
    }
    return c;
  };
  /** The mechanism of a change, or undefined after recording the user's error. */
  const check = (user: string, type: number): ScramMechanism | undefined => {
    const c = changesOf(user);
    const problem = ((): UserChanges['error'] => {
      if (named.has(`${type}\0${user}`))
        return {
          code: KafkaError.DUPLICATE_RESOURCE,
          message: 'A user credential cannot be altered twice in the same request',
        };
      named.add(`${type}\0${user}`);
      if (user === '')
        return { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message: 'Username must not be empty' };
      if (scramMechanismByType(type) === undefined)
        return { code: KafkaError.UNSUPPORTED_SASL_MECHANISM, message: 'Unknown SCRAM mechanism' };
      return undefined;
    })();
    if (problem === undefined) return scramMechanismByType(type);
    c.error ??= problem;
    return undefined;
  };
  for (const d of req.deletions) {
    const m = check(d.name, d.mechanism);
    if (m === undefined) continue;
    const key = keys.scramCredential(d.name, m.name);
    const c = changesOf(d.name);
    c.compares.push({ key, target: 'version', op: '>', value: 0 });
    c.ops.push({ type: 'delete', key });
  }
  for (const u of req.upsertions) {
    const credential = u.credential;
    const m = check(u.name, credential?.mechanism ?? 0);
    const c = changesOf(u.name);
    if (m === undefined || credential === undefined) continue;
    const problem = credentialProblem(m, credential);
    if (problem !== undefined) {
      c.error ??= { code: KafkaError.UNACCEPTABLE_CREDENTIAL, message: problem };
      continue;
    }
    c.ops.push({
      type: 'put',
      key: keys.scramCredential(u.name, m.name),
      value: encodeScramCredential(credential),
    });
  }
  let revision = 0;
  for (const c of users.values()) {
    if (c.error !== undefined || c.ops.length === 0) continue;
    const result = await store.txn(c.compares, c.ops);
    if (result.succeeded) revision = Math.max(revision, result.revision);
    else
      c.error = {
        code: KafkaError.RESOURCE_NOT_FOUND,
        message: 'Attempt to delete a user credential that does not exist',
      };
  }
  // What was written shows in this replica's next DescribeUserScramCredentials.
  if (revision > 0) await untilRevision(view, revision, 5000);
  return create(AlterUserScramCredentialsResponseSchema, {
    results: [...users].map(([user, c]) =>
      create(ScramUserResultSchema, {
        user,
        errorCode: c.error?.code ?? KafkaError.NONE,
        errorMessage: c.error?.message ?? '',
      }),
    ),
  });
}
