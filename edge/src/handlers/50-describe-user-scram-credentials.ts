/**
 * DescribeUserScramCredentials (key 50), answered by the controlplane from its metadata view
 * (controlplane/src/scram/describe-scram-credentials.ts): each user's SCRAM mechanisms and
 * iteration counts, never salts or keys. `kafka-configs --describe --entity-type users` uses it.
 *
 * v0 (flexible): the only version. A null or empty user list describes every user with a
 * credential; a user asked twice is DUPLICATE_RESOURCE, one without credentials
 * RESOURCE_NOT_FOUND. When the controlplane does not answer, the whole response carries
 * REQUEST_TIMED_OUT.
 *
 * Authorization: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED, as Kafka.
 */
import {
  defaultDescribeUserScramCredentialsResponse,
  describeUserScramCredentialsApi,
  type DescribeUserScramCredentialsRequest,
  type DescribeUserScramCredentialsResponse,
} from '../../../lib/kafka/gen/index.js';
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

export function describeUserScramCredentialsHandler(
  controlplane: ControlPlaneClient,
  authorizer: RequestAuthorizer = allowEverything,
): KafkaHandler<DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse> {
  return {
    api: describeUserScramCredentialsApi,
    minVersion: 0,
    maxVersion: 0,
    async handle(request, ctx) {
      if (!onCluster(authorizer, ctx, AclOperation.DESCRIBE))
        return {
          ...defaultDescribeUserScramCredentialsResponse(),
          errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
          errorMessage: 'Cluster authorization failed.',
        };
      const users = (request.users ?? []).map((u) => u.name);
      try {
        const res = await controlplane.describeUserScramCredentials(
          { users, allUsers: users.length === 0 },
          { timeoutMs: 30_000 },
        );
        return {
          ...defaultDescribeUserScramCredentialsResponse(),
          errorCode: res.errorCode,
          errorMessage: res.errorCode === 0 ? null : res.errorMessage,
          results: res.results.map((r) => ({
            user: r.user,
            errorCode: r.errorCode,
            errorMessage: r.errorCode === 0 ? null : r.errorMessage,
            credentialInfos: r.credentials.map((c) => ({
              mechanism: c.mechanism,
              iterations: c.iterations,
            })),
          })),
        };
      } catch (err) {
        ctx.log.warn({ err }, 'controlplane DescribeUserScramCredentials failed');
        return {
          ...defaultDescribeUserScramCredentialsResponse(),
          ...CONTROLPLANE_DOWN,
        };
      }
    },
  };
}
