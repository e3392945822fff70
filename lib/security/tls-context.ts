/**
 * TLS key material from files, reloaded when they change (the edge's SSL and SASL_SSL
 * listeners: KAFSCALE_TLS_*; gRPC between services: KAFSCALE_GRPC_TLS_*): new connections get the new certificate, open ones keep theirs. A new set
 * that does not load (unreadable, not PEM, key not matching the certificate) is refused
 * with an error log line and the previous one stays in use; start-up with bad files fails.
 */
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContextOptions } from 'node:tls';

import type { Logger } from '../log/logger.js';
import { watchFiles, type FileWatch } from './watched-files.js';

export type ReloadOutcome = 'success' | 'failure';

/** The files a TLS context loads: a certificate chain, its key, and optionally trusted CAs. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string | undefined;
}

async function loadOptions(config: TlsFiles): Promise<SecureContextOptions> {
  const [cert, key, ca] = await Promise.all([
    readFile(config.certFile),
    readFile(config.keyFile),
    config.caFile === undefined ? undefined : readFile(config.caFile),
  ]);
  const options: SecureContextOptions = { cert, key, ...(ca === undefined ? {} : { ca }) };
  createSecureContext(options); // throws on a bad certificate, key or pair
  return options;
}

export class TlsContext<Config extends TlsFiles = TlsFiles> {
  private readonly listeners = new Set<(options: SecureContextOptions) => void>();
  private watch: FileWatch | undefined;

  private constructor(
    readonly config: Config,
    private current: SecureContextOptions,
    private readonly log: Logger,
    private readonly onReload?: (outcome: ReloadOutcome) => void,
  ) {}

  /** Loads the files (failing start-up when they do not load) and watches them. */
  static async open<Config extends TlsFiles>(
    config: Config,
    reloadIntervalMs: number,
    log: Logger,
    onReload?: (outcome: ReloadOutcome) => void,
  ): Promise<TlsContext<Config>> {
    const context = new TlsContext(config, await loadOptions(config), log, onReload);
    const paths = [config.certFile, config.keyFile, ...(config.caFile ? [config.caFile] : [])];
    context.watch = await watchFiles(paths, reloadIntervalMs, () => context.reload());
    return context;
  }

  /** The certificate, key and CA now in use. */
  options(): SecureContextOptions {
    return this.current;
  }

  /** Calls `listener` with each newly loaded set. */
  subscribe(listener: (options: SecureContextOptions) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async reload(): Promise<void> {
    let next: SecureContextOptions;
    try {
      next = await loadOptions(this.config);
    } catch (err) {
      // The message names the failing check (no key material is in it); the old set stays.
      this.log.error(
        { error: err instanceof Error ? err.message : String(err) },
        'TLS files changed but do not load; keeping the previous certificate',
      );
      this.onReload?.('failure');
      return;
    }
    this.current = next;
    for (const l of this.listeners) l(next);
    this.onReload?.('success');
    this.log.info({ certFile: this.config.certFile }, 'TLS certificate reloaded');
  }

  stop(): void {
    this.watch?.stop();
    this.listeners.clear();
  }
}
