/**
 * A watch over etcd3's Watcher. etcd3 reconnects a broken watch stream by itself, but resumes
 * from the last *header* revision it saw, which can skip events while a watch from the past
 * is still catching up; so this class keeps its own next revision and writes it into the
 * watcher's request before every reconnect. Events of one response are grouped by revision
 * and delivered one revision per callback. A watch that stays disconnected longer than
 * `reconnectTimeoutMs`, is cancelled by etcd (e.g. its start revision was compacted) or whose
 * store closes calls onError and stops.
 */
import type { IWatchResponse, Watcher } from 'etcd3';
import {
  MetadataStoreUnavailableError,
  type KeyValue,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '../metadata-store.js';
import { toKeyValue } from './etcd-kv.js';

export class EtcdWatch implements Watch {
  private nextRevision: number | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly watcher: Watcher,
    private readonly options: WatchOptions,
    private readonly reconnectTimeoutMs: number,
    private readonly forget: (w: EtcdWatch) => void,
  ) {
    this.nextRevision = options.fromRevision;
    watcher.on('connected', (res: IWatchResponse) => {
      this.clearReconnectTimer();
      this.nextRevision ??= Number(res.header.revision) + 1;
      this.pinResumeRevision();
    });
    watcher.on('data', (res: IWatchResponse) => {
      this.onData(res);
    });
    watcher.on('disconnected', () => {
      this.pinResumeRevision();
      if (this.stopped || this.reconnectTimer !== undefined) return;
      this.reconnectTimer = setTimeout(() => {
        this.fail(
          new MetadataStoreUnavailableError(
            `etcd watch could not reconnect within ${this.reconnectTimeoutMs} ms`,
          ),
        );
      }, this.reconnectTimeoutMs);
      this.reconnectTimer.unref();
    });
    watcher.on('error', (err: Error) => {
      // etcd 3.4 cancels a watch whose start revision was compacted with an empty reason.
      const from = this.nextRevision ?? options.fromRevision;
      this.fail(
        new Error(
          `etcd cancelled the watch${from === undefined ? '' : ` at revision ${from}`} ` +
            `(history compacted, or the watch was refused): ${err.message}`,
          { cause: err },
        ),
      );
    });
  }

  cancel(): Promise<void> {
    return this.stop();
  }

  /** Stops the watch and reports `error` once. */
  fail(error: Error): void {
    if (this.stopped) return;
    this.stop().catch(() => undefined);
    try {
      this.options.onError?.(error);
    } catch {
      // The watch is over either way.
    }
  }

  private async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearReconnectTimer();
    this.forget(this);
    await this.watcher.cancel();
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Makes etcd3 resume from the first revision not yet delivered. */
  private pinResumeRevision(): void {
    if (this.nextRevision !== undefined) {
      this.watcher.request.start_revision = String(this.nextRevision);
    }
  }

  private onData(res: IWatchResponse): void {
    if (this.stopped) return;
    let group: WatchEvent[] = [];
    let groupRevision = 0;
    const flush = (): void => {
      if (group.length === 0 || this.stopped) return; // cancelled by a callback: stop
      const events = group;
      group = [];
      this.nextRevision = groupRevision + 1;
      try {
        this.options.onEvents(events, groupRevision);
      } catch {
        // A throwing callback must not break the stream.
      }
    };
    for (const ev of res.events) {
      const revision = Number(ev.kv.mod_revision);
      if (this.nextRevision !== undefined && revision < this.nextRevision) continue; // replayed
      if (revision !== groupRevision) {
        flush();
        groupRevision = revision;
      }
      if (ev.type === 'Put') {
        const kv: KeyValue = toKeyValue(ev.kv);
        group.push({ type: 'put', kv });
      } else {
        group.push({ type: 'delete', key: ev.kv.key.toString('utf8'), modRevision: revision });
      }
    }
    flush();
    this.pinResumeRevision();
  }
}
