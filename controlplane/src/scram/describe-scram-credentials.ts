/**
 * DescribeUserScramCredentials on the controlplane, from its metadata view: each user's
 * mechanisms and iteration counts (never salts or keys). As Kafka: no names (or an empty
 * list) describes every user with a credential; a name asked twice is DUPLICATE_RESOURCE, a
 * user without credentials RESOURCE_NOT_FOUND.
 */
import { create } from '@bufbuild/protobuf';
import {
  DescribedScramUserSchema,
  DescribeUserScramCredentialsResponseSchema,
  ScramCredentialInfoSchema,
  type DescribedScramUser,
  type DescribeUserScramCredentialsRequest,
  type DescribeUserScramCredentialsResponse,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/scram_pb.js';
import { KafkaError } from '../../../lib/kafka/error-codes.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

function described(view: MetadataView, user: string): DescribedScramUser {
  const credentials = [...view.scramUser(user)].sort((a, b) => a[0] - b[0]);
  if (credentials.length === 0)
    return create(DescribedScramUserSchema, {
      user,
      errorCode: KafkaError.RESOURCE_NOT_FOUND,
      errorMessage: 'Attempt to describe a user credential that does not exist',
    });
  return create(DescribedScramUserSchema, {
    user,
    credentials: credentials.map(([mechanism, c]) =>
      create(ScramCredentialInfoSchema, { mechanism, iterations: c.iterations }),
    ),
  });
}

export function describeScramCredentials(
  view: MetadataView,
  req: DescribeUserScramCredentialsRequest,
): DescribeUserScramCredentialsResponse {
  if (req.allUsers || req.users.length === 0)
    return create(DescribeUserScramCredentialsResponseSchema, {
      results: view.scramUserNames().map((u) => described(view, u)),
    });
  const counts = new Map<string, number>();
  for (const u of req.users) counts.set(u, (counts.get(u) ?? 0) + 1);
  return create(DescribeUserScramCredentialsResponseSchema, {
    results: [...counts].map(([user, count]) =>
      count > 1
        ? create(DescribedScramUserSchema, {
            user,
            errorCode: KafkaError.DUPLICATE_RESOURCE,
            errorMessage:
              'Cannot describe SCRAM credentials for the same user twice in a single request',
          })
        : described(view, user),
    ),
  });
}
