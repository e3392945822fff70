/**
 * The production MetadataStore over etcd v3 (the `etcd3` client). Transactions go through
 * the raw KV.Txn call so that compares and ops map one to one; listings page through the
 * range with `limit` at one pinned revision; leases use etcd3's automatic keep-alive plus a
 * local watchdog (etcd-lease.ts); watches resume across reconnects (etcd-watch.ts).
 *
 * Every unary call carries a deadline (`requestTimeoutMs`), so nothing waits forever on a
 * paused or partitioned etcd: it fails with MetadataStoreUnavailableError. After such a
 * failure a transaction's outcome is unknown (it may have been applied); callers that care
 * re-read, which the epoch/revision compares of invariant 2 make safe.
 */
import { rootCertificates } from 'node:tls';
import { Etcd3, type ICompare, type IOptions, type IRequestOp, type IRangeResponse } from 'etcd3';
import {
  MetadataStoreUnavailableError,
  type Compare,
  type KeyValue,
  type Lease,
  type ListResult,
  type MetadataStore,
  type TxnOp,
  type TxnResult,
  type Watch,
  type WatchOptions,
} from '../metadata-store.js';
import { isUnavailable, mapEtcdError, withTimeout } from './etcd-errors.js';
import { toKeyValue } from './etcd-kv.js';
import { keyAfter, keyBytes, prefixRange } from './etcd-keys.js';
import { checkTxnSize } from '../metadata-store.js';
import { EtcdLease } from './etcd-lease.js';
import { EtcdWatch } from './etcd-watch.js';

export { EtcdLease } from './etcd-lease.js';

export interface EtcdTlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

export interface EtcdMetadataStoreConfig {
  readonly endpoints: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /**
   * TLS towards etcd (https:// endpoints): the CAs its certificate must chain to (the
   * system's when absent), and this client's certificate chain and key when etcd asks for one.
   */
  readonly tls?: EtcdTlsMaterial;
  /** Time to establish a connection (default 3,000 ms). */
  readonly dialTimeoutMs?: number;
  /** Deadline of every request (default 5,000 ms). */
  readonly requestTimeoutMs?: number;
  /** How long a watch may stay disconnected before it reports an error (default 10,000 ms). */
  readonly watchReconnectTimeoutMs?: number;
  /** Keys per page of a listing (default 500; halved while etcd's answer is too large). */
  readonly pageSize?: number;
}

const COMPARE_RESULT = { '=': 'Equal', '!=': 'NotEqual', '<': 'Less', '>': 'Greater' } as const;

function toCompare(c: Compare): ICompare {
  const key = keyBytes(c.key);
  switch (c.target) {
    case 'value':
      return { key, target: 'Value', result: COMPARE_RESULT[c.op], value: Buffer.from(c.value) };
    case 'version':
      return { key, target: 'Version', result: COMPARE_RESULT[c.op], version: c.value };
    case 'createRevision':
      return { key, target: 'Create', result: COMPARE_RESULT[c.op], create_revision: c.value };
    case 'modRevision':
      return { key, target: 'Mod', result: COMPARE_RESULT[c.op], mod_revision: c.value };
  }
}

function toRequestOp(op: TxnOp): IRequestOp {
  switch (op.type) {
    case 'put':
      return {
        request_put: {
          key: keyBytes(op.key),
          value: Buffer.from(op.value),
          ...(op.lease === undefined ? {} : { lease: op.lease }),
        },
      };
    case 'delete':
      return { request_delete_range: { key: keyBytes(op.key) } };
    case 'deletePrefix':
      return { request_delete_range: prefixRange(op.prefix) };
    case 'deleteRange':
      return { request_delete_range: { key: keyBytes(op.from), range_end: keyBytes(op.to) } };
  }
}

function isTooLarge(e: unknown): boolean {
  return e instanceof Error && /RESOURCE_EXHAUSTED|larger than max|exceeds/i.test(e.message);
}

export class EtcdMetadataStore implements MetadataStore {
  private readonly leases = new Set<EtcdLease>();
  private readonly watches = new Set<EtcdWatch>();
  private readonly requestTimeoutMs: number;
  private readonly watchReconnectTimeoutMs: number;
  private pageSize: number;
  private closed = false;

  private constructor(
    private readonly client: Etcd3,
    config: EtcdMetadataStoreConfig,
  ) {
    this.requestTimeoutMs = config.requestTimeoutMs ?? 5_000;
    this.watchReconnectTimeoutMs = config.watchReconnectTimeoutMs ?? 10_000;
    this.pageSize = Math.max(1, config.pageSize ?? 500);
  }

  /** Connects and checks that etcd answers (MetadataStoreUnavailableError if it does not). */
  static async connect(config: EtcdMetadataStoreConfig): Promise<EtcdMetadataStore> {
    const options: IOptions = {
      hosts: [...config.endpoints],
      dialTimeout: config.dialTimeoutMs ?? 3_000,
      ...(config.username === undefined
        ? {}
        : { auth: { username: config.username, password: config.password ?? '' } }),
      ...(config.tls === undefined
        ? {}
        : {
            credentials: {
              rootCertificate: config.tls.ca ?? Buffer.from(rootCertificates.join('\n')),
              ...(config.tls.cert === undefined ? {} : { certChain: config.tls.cert }),
              ...(config.tls.key === undefined ? {} : { privateKey: config.tls.key }),
            },
          }),
    };
    const client = new Etcd3(options);
    const store = new EtcdMetadataStore(client, config);
    try {
      await store.range({ key: Buffer.from([0]), limit: 1, keys_only: true });
    } catch (e) {
      client.close();
      throw e;
    }
    return store;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.range({ key: keyBytes(key) });
    const kv = res.kvs[0];
    return kv === undefined ? undefined : toKeyValue(kv);
  }

  async list(prefix: string): Promise<ListResult> {
    const { key, range_end } = prefixRange(prefix);
    const kvs: KeyValue[] = [];
    let start = key;
    let revision: number | undefined;
    for (;;) {
      let res: IRangeResponse;
      try {
        res = await this.range({
          key: start,
          range_end,
          limit: this.pageSize,
          ...(revision === undefined ? {} : { revision }),
        });
      } catch (e) {
        // A page larger than gRPC's message limit: retry with smaller pages.
        if (isTooLarge(e) && this.pageSize > 1) {
          this.pageSize = Math.max(1, Math.floor(this.pageSize / 2));
          continue;
        }
        if (revision !== undefined && e instanceof Error && /compacted/i.test(e.message)) {
          // The pinned revision was compacted between two pages: the caller may list again.
          throw new MetadataStoreUnavailableError(`etcd list raced a compaction: ${e.message}`, {
            cause: e,
          });
        }
        throw e;
      }
      revision ??= Number(res.header.revision);
      for (const kv of res.kvs) kvs.push(toKeyValue(kv));
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || last === undefined) break;
      start = keyAfter(last.key);
    }
    return { kvs, revision };
  }

  async txn(
    compares: readonly Compare[],
    success: readonly TxnOp[],
    failure: readonly TxnOp[] = [],
  ): Promise<TxnResult> {
    this.assertOpen();
    checkTxnSize(compares, success, failure);
    try {
      const res = await this.client.kv.txn(
        {
          compare: compares.map(toCompare),
          success: success.map(toRequestOp),
          failure: failure.map(toRequestOp),
        },
        { deadline: Date.now() + this.requestTimeoutMs },
      );
      return { succeeded: res.succeeded, revision: Number(res.header.revision) };
    } catch (e) {
      throw mapEtcdError(e, 'txn');
    }
  }

  async grantLease(ttlSeconds: number): Promise<Lease> {
    this.assertOpen();
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
      throw new RangeError(`lease TTL must be a whole number >= 1, got ${ttlSeconds}`);
    }
    const inner = this.client.lease(ttlSeconds, {
      autoKeepAlive: true,
      deadline: Date.now() + this.requestTimeoutMs,
    });
    inner.on('lost', () => undefined); // EtcdLease listens too; never leave it unhandled
    let id: string;
    try {
      id = await withTimeout(inner.grant(), this.requestTimeoutMs, 'lease grant');
    } catch (e) {
      inner.release();
      throw mapEtcdError(e, 'lease grant');
    }
    const lease = new EtcdLease(id, ttlSeconds, inner, this.requestTimeoutMs, (l) =>
      this.leases.delete(l),
    );
    this.leases.add(lease);
    return lease;
  }

  async watch(prefix: string, options: WatchOptions): Promise<Watch> {
    this.assertOpen();
    let builder = this.client.watch().prefix(prefix);
    if (options.fromRevision !== undefined) {
      builder = builder.startRevision(String(Math.max(1, options.fromRevision)));
    }
    const watcher = builder.watcher();
    const watch = new EtcdWatch(watcher, options, this.watchReconnectTimeoutMs, (w) =>
      this.watches.delete(w),
    );
    this.watches.add(watch);
    // Wait until etcd created the watch (or refused it: onError has been called then).
    const created = new Promise<void>((resolve) => {
      watcher.once('connected', () => {
        resolve();
      });
      watcher.once('error', () => {
        resolve();
      });
    });
    try {
      await withTimeout(created, this.requestTimeoutMs, 'watch');
    } catch (e) {
      await watch.cancel().catch(() => undefined);
      throw e;
    }
    return watch;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const lease of [...this.leases]) lease.close();
    for (const w of [...this.watches]) w.fail(new Error('metadata store closed'));
    this.client.close();
    return Promise.resolve();
  }

  private assertOpen(): void {
    if (this.closed) throw new MetadataStoreUnavailableError('etcd metadata store is closed');
  }

  private async range(req: Parameters<Etcd3['kv']['range']>[0]): Promise<IRangeResponse> {
    this.assertOpen();
    try {
      return await this.client.kv.range(req, { deadline: Date.now() + this.requestTimeoutMs });
    } catch (e) {
      if (isTooLarge(e) && !isUnavailable(e)) throw e;
      throw mapEtcdError(e, 'range');
    }
  }
}
