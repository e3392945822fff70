/**
 * Who may call the AdminService (docs/security.md, "The admin API"). A call is authenticated
 * by a bearer token from KAFSCALE_ADMIN_TOKENS_FILE or, over mutual TLS, by its client
 * certificate; then `authorize` decides. With neither tokens nor mutual TLS configured the
 * API is open, as it was before either existed: keep its port internal then.
 */
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import type { DescMethod } from '@bufbuild/protobuf';
import { peerPrincipalKey } from '../../../lib/grpc/peer-principal.js';
import type { AdminTokens } from '../../../lib/security/admin-tokens.js';
import { ANONYMOUS } from '../../../lib/security/tls-principal.js';

export interface AdminAuthentication {
  /** The accepted tokens now (undefined: no tokens file). */
  readonly tokens: (() => AdminTokens) | undefined;
  /** The server requires client certificates, so a call's certificate authenticates it. */
  readonly certificates: boolean;
  /** Whether `principal` may call `method`; without it any authenticated principal may. */
  readonly authorize?: (principal: string, method: DescMethod) => boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function principalOf(
  auth: AdminAuthentication,
  header: string | null,
  peer: string,
): string | undefined {
  const token = header === null ? undefined : BEARER.exec(header)?.[1];
  if (header !== null && auth.tokens !== undefined) {
    if (token === undefined)
      throw new ConnectError(
        'the authorization header must be "Bearer <token>"',
        Code.Unauthenticated,
      );
    const principal = auth.tokens().principalOf(token);
    if (principal === undefined)
      throw new ConnectError('the admin token is not valid', Code.Unauthenticated);
    return principal;
  }
  if (auth.certificates && peer !== ANONYMOUS) return peer;
  if (auth.tokens !== undefined)
    throw new ConnectError(
      'the AdminService needs a token (authorization: Bearer <token>; KAFSCALE_ADMIN_TOKEN_FILE for kafscale commands)',
      Code.Unauthenticated,
    );
  return auth.certificates ? undefined : ANONYMOUS;
}

export function adminAuthenticationInterceptor(auth: AdminAuthentication): Interceptor {
  return (next) => async (req) => {
    const principal = principalOf(
      auth,
      req.header.get('authorization'),
      req.contextValues.get(peerPrincipalKey),
    );
    if (principal === undefined)
      throw new ConnectError('the AdminService needs a client certificate', Code.Unauthenticated);
    if (auth.authorize !== undefined && !auth.authorize(principal, req.method))
      throw new ConnectError(`${principal} may not call ${req.method.name}`, Code.PermissionDenied);
    return next(req);
  };
}
