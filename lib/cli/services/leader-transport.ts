/**
 * A gRPC transport to whichever controlplane replica leads now: it follows the
 * `controlplane/leader` key in etcd and dials the address recorded there, so a standby's
 * takeover reaches every edge without configuration. Calls made while no leader is known
 * fail with UNAVAILABLE, and callers retry.
 */
import { Code, ConnectError, type Transport } from '@connectrpc/connect';
import type { GrpcDialer } from '../../grpc/grpc-dialer.js';
import { keys } from '../../metadata/keys.js';
import { decodeLeaderRecord } from '../../metadata/leader-record.js';
import type { Logger } from '../../log/logger.js';
import type { MetadataStore, Watch } from '../../stores/metadata-store.js';

export class LeaderTransport {
  private current: { address: string; transport: Transport } | undefined;
  private watch: Watch | undefined;

  private constructor(
    private readonly store: MetadataStore,
    private readonly log: Logger,
    private readonly dialer: GrpcDialer,
  ) {}

  static async follow(
    store: MetadataStore,
    log: Logger,
    dialer: GrpcDialer,
  ): Promise<LeaderTransport> {
    const t = new LeaderTransport(store, log, dialer);
    const key = keys.controlplaneLeader();
    const kv = await store.get(key);
    if (kv) t.point(decodeLeaderRecord(key, kv.value).address);
    t.watch = await store.watch(key, {
      onEvents: (events) => {
        for (const e of events) {
          if (e.type === 'put') t.point(decodeLeaderRecord(key, e.kv.value).address);
        }
      },
      onError: (err) => {
        log.error({ err }, 'controlplane leader watch failed');
      },
    });
    return t;
  }

  private point(address: string): void {
    if (this.current?.address === address) return;
    this.log.info({ address }, 'controlplane leader');
    this.current = { address, transport: this.dialer.transport(address) };
  }

  private now(): Transport {
    if (this.current === undefined)
      throw new ConnectError('no controlplane leader is known yet', Code.Unavailable);
    return this.current.transport;
  }

  /** The transport to hand to createClient: each call goes to the leader known at that moment. */
  transport(): Transport {
    return {
      unary: (...args) => this.now().unary(...args),
      stream: (...args) => this.now().stream(...args),
    };
  }

  async stop(): Promise<void> {
    await this.watch?.cancel();
  }
}
