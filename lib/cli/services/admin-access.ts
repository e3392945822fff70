/**
 * The interceptor that guards a process's AdminService (the controlplane's, or `kafscale
 * dev`'s): tokens from KAFSCALE_ADMIN_TOKENS_FILE (reloaded on change) and, when the server
 * speaks mutual TLS, client certificates (controlplane/src/admin/admin-authentication.ts).
 */
import type { Interceptor } from '@connectrpc/connect';
import { adminAuthenticationInterceptor } from '../../../controlplane/src/admin/admin-authentication.js';
import type { KafscaleConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import { AdminTokens } from '../../security/admin-tokens.js';
import { ReloadingFile } from '../../security/reloading-file.js';

export interface AdminAccess {
  readonly interceptor: Interceptor;
  stop(): void;
}

export async function openAdminAccess(
  config: KafscaleConfig,
  log: Logger,
  certificates: boolean,
): Promise<AdminAccess> {
  const path = config.adminAuth.tokensFile;
  const tokens =
    path === undefined
      ? undefined
      : await ReloadingFile.open(
          path,
          (text) => AdminTokens.parse(text),
          config.security.reloadIntervalMs,
          log,
          'admin tokens file',
        );
  return {
    interceptor: adminAuthenticationInterceptor({
      tokens: tokens === undefined ? undefined : () => tokens.current(),
      certificates,
    }),
    stop: () => tokens?.stop(),
  };
}
