/**
 * AlterUserScramCredentials (key 51): sets and removes users' SCRAM credentials.
 * `kafka-configs --alter --add-config 'SCRAM-SHA-256=[iterations=8192,password=...]'
 * --entity-type users --entity-name alice` uses it.
 *
 * v0 (flexible): the only version. The client sends the salted password (PBKDF2 of the
 * password, never the password); the edge turns it into StoredKey and ServerKey at once
 * and the salted password goes no further: the controlplane validates with Kafka's rules
 * and writes only salt, iterations and the two keys to etcd
 * (controlplane/src/scram/alter-scram-credentials.ts). Edges learn the new credentials from
 * the metadata stream. When the controlplane does not answer, every user gets
 * REQUEST_TIMED_OUT (and may or may not have been changed, as with Kafka's timeouts).
 *
 * Authorization: ALTER on the cluster, else every user gets CLUSTER_AUTHORIZATION_FAILED,
 * as Kafka (without KAFSCALE_AUTHORIZER=acl any client may call it; docs/security.md).
 */
import {
  alterUserScramCredentialsApi,
  type AlterUserScramCredentialsRequest,
  type AlterUserScramCredentialsResponse,
} from '../../../lib/kafka/gen/index.js';
import { credentialFromSaltedPassword } from '../../../lib/security/scram/scram-credential.js';
import { scramMechanismByType } from '../../../lib/security/scram/scram-mechanism.js';
import type { ControlPlaneClient } from '../routing/controlplane-client.js';
import { CONTROLPLANE_DOWN } from './config-resources.js';
import type { KafkaHandler } from './kafka-handler.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import { AclOperation } from '../../../lib/security/acl/acl-binding.js';
import {
  allowEverything,
  onCluster,
  type RequestAuthorizer,
} from '../security/request-authorizer.js';

type Upsertion = AlterUserScramCredentialsRequest['upsertions'][number];

/** The stored credential for an upsertion; empty keys (refused later) when it cannot be made. */
function storedCredential(u: Upsertion) {
  const m = scramMechanismByType(u.mechanism);
  const empty = new Uint8Array(0);
  if (m === undefined || u.saltedPassword.length === 0)
    return {
      mechanism: u.mechanism,
      iterations: u.iterations,
      salt: u.salt,
      storedKey: empty,
      serverKey: empty,
    };
  const c = credentialFromSaltedPassword(m, u.salt, u.saltedPassword, u.iterations);
  return { mechanism: u.mechanism, ...c };
}

export function alterUserScramCredentialsHandler(
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse> {
  return {
    api: alterUserScramCredentialsApi,
    minVersion: 0,
    maxVersion: 0,
    async handle(request, ctx) {
      const users = [...new Set([...request.deletions, ...request.upsertions].map((x) => x.name))];
      if (!onCluster(authorizer, ctx, AclOperation.ALTER))
        return {
          throttleTimeMs: 0,
          results: users.map((user) => ({
            user,
            errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
            errorMessage: 'Cluster authorization failed.',
          })),
        };
      try {
        const res = await controlplane.alterUserScramCredentials(
          {
            deletions: request.deletions.map((d) => ({ name: d.name, mechanism: d.mechanism })),
            upsertions: request.upsertions.map((u) => ({
              name: u.name,
              credential: storedCredential(u),
            })),
          },
          { timeoutMs: 30_000 },
        );
        return {
          throttleTimeMs: 0,
          results: res.results.map((r) => ({
            user: r.user,
            errorCode: r.errorCode,
            errorMessage: r.errorCode === 0 ? null : r.errorMessage,
          })),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane AlterUserScramCredentials failed');
        return {
          throttleTimeMs: 0,
          results: users.map((user) => ({ user, ...CONTROLPLANE_DOWN })),
        };
      }
    },
  };
}
