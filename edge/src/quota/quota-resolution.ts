/**
 * Which quota applies to a request of `user` with `clientId`, in Kafka's order of precedence
 * (the first entity that has a value for the quota key wins):
 *
 * 1. /users/<user>/clients/<client-id>        5. /users/<default>/clients/<default>
 * 2. /users/<user>/clients/<default>          6. /users/<default>
 * 3. /users/<user>                            7. /clients/<client-id>
 * 4. /users/<default>/clients/<client-id>     8. /clients/<default>
 *
 * and which clients share its measured rate, as Kafka tags its quota sensors: the parts the
 * winning entity has, with the default entity standing for the client's own name (so
 * `/users/<default>` gives each user its own rate, `/clients/app` one rate to every user's
 * connections with client id `app`).
 */
import { entityPath, type ClientQuotaEntity } from '../../../lib/quota/quota-entity.js';

export interface ResolvedQuota {
  /** The cluster-wide bound, in the quota key's unit per second. */
  readonly bound: number;
  /** The user whose requests share the rate, or '' when any user's do. */
  readonly rateUser: string;
  /** The client id whose requests share the rate, or '' when any client id's do. */
  readonly rateClientId: string;
  /** The entity the bound comes from. */
  readonly entity: ClientQuotaEntity;
}

type Level = (user: string, clientId: string) => ClientQuotaEntity;

const LEVELS: readonly Level[] = [
  (user, clientId) => ({ user, clientId }),
  (user) => ({ user, clientId: null }),
  (user) => ({ user, clientId: undefined }),
  (_user, clientId) => ({ user: null, clientId }),
  () => ({ user: null, clientId: null }),
  () => ({ user: null, clientId: undefined }),
  (_user, clientId) => ({ user: undefined, clientId }),
  () => ({ user: undefined, clientId: null }),
];

export function resolveQuota(
  valuesOf: (path: string) => ReadonlyMap<string, number> | undefined,
  quotaKey: string,
  user: string,
  clientId: string,
): ResolvedQuota | undefined {
  for (const level of LEVELS) {
    const entity = level(user, clientId);
    const bound = valuesOf(entityPath(entity))?.get(quotaKey);
    if (bound === undefined) continue;
    return {
      bound,
      rateUser: entity.user === undefined ? '' : user,
      rateClientId: entity.clientId === undefined ? '' : clientId,
      entity,
    };
  }
  return undefined;
}
