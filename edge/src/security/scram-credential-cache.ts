/**
 * The SCRAM credentials an edge authenticates clients with, fed by the controlplane's
 * WatchMetadata stream (a snapshot, then one entry per changed user): an authentication
 * reads memory, never etcd.
 */
import type { ScramUser } from '../../../lib/gen/proto/kafscale/controlplane/v1/scram_pb.js';
import type { ScramCredential } from '../../../lib/security/scram/scram-credential.js';
import type { ScramMechanism } from '../../../lib/security/scram/scram-mechanism.js';

export class ScramCredentialCache {
  private users = new Map<string, ReadonlyMap<number, ScramCredential>>();

  /** Replaces everything (a snapshot). */
  replaceAll(users: readonly ScramUser[]): void {
    this.users = new Map();
    for (const u of users) this.setUser(u);
  }

  /** Replaces one user's credentials (none: the user is gone). */
  setUser(user: ScramUser): void {
    if (user.credentials.length === 0) {
      this.users.delete(user.name);
      return;
    }
    this.users.set(
      user.name,
      new Map(
        user.credentials.map((c) => [
          c.mechanism,
          {
            salt: c.salt,
            iterations: c.iterations,
            storedKey: c.storedKey,
            serverKey: c.serverKey,
          },
        ]),
      ),
    );
  }

  lookup(user: string, mechanism: ScramMechanism): ScramCredential | undefined {
    return this.users.get(user)?.get(mechanism.type);
  }

  get size(): number {
    return this.users.size;
  }
}
