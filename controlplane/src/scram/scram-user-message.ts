/** A user's SCRAM credentials as the metadata stream carries them to edges. */
import { create } from '@bufbuild/protobuf';
import {
  ScramCredentialSchema,
  ScramUserSchema,
  type ScramUser,
} from '../../../lib/gen/proto/kafscale/controlplane/v1/scram_pb.js';
import type { MetadataView } from '../metadata-view/metadata-view.js';

export function scramUserMessage(view: MetadataView, name: string): ScramUser {
  return create(ScramUserSchema, {
    name,
    credentials: [...view.scramUser(name)]
      .sort((a, b) => a[0] - b[0])
      .map(([mechanism, c]) =>
        create(ScramCredentialSchema, {
          mechanism,
          salt: c.salt,
          storedKey: c.storedKey,
          serverKey: c.serverKey,
          iterations: c.iterations,
        }),
      ),
  });
}
