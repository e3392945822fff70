/**
 * The edge's end of a storage node's AppendStream: one long-lived stream per storage node,
 * opened on first use and again after it breaks. Requests go out in the order `append` is
 * called, which is the order the storage node queues their batches in, so what one client
 * connection pipelines keeps its order per partition. Each call is answered by id, or fails
 * when its deadline passes or the stream breaks.
 */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  AppendRequestSchema,
  AppendStreamRequestSchema,
  type AppendResponse,
  type AppendStreamRequest,
} from '../../../lib/gen/proto/kafscale/storage/v1/storage_pb.js';
import { AsyncQueue } from '../../../lib/grpc/async-queue.js';
import type { StorageClient } from './storage-clients.js';

interface Waiter {
  resolve(response: AppendResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class AppendChannel {
  private outbound: AsyncQueue<AppendStreamRequest> | undefined;
  private readonly waiting = new Map<bigint, Waiter>();
  private nextId = 1n;

  constructor(private readonly client: StorageClient) {}

  append(
    request: MessageInitShape<typeof AppendRequestSchema>,
    timeoutMs: number,
  ): Promise<AppendResponse> {
    const out = this.open();
    const id = this.nextId++;
    return new Promise<AppendResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`append ${id} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      out.push(
        create(AppendStreamRequestSchema, { id, request: create(AppendRequestSchema, request) }),
      );
    });
  }

  private open(): AsyncQueue<AppendStreamRequest> {
    if (this.outbound) return this.outbound;
    const out = new AsyncQueue<AppendStreamRequest>();
    this.outbound = out;
    void (async () => {
      let failure: Error = new Error('append stream ended');
      try {
        for await (const answer of this.client.appendStream(out)) {
          const w = this.waiting.get(answer.id);
          if (w === undefined || answer.response === undefined) continue;
          this.waiting.delete(answer.id);
          clearTimeout(w.timer);
          w.resolve(answer.response);
        }
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
      // The stream is gone: everything still waiting on it fails (retriable for the client).
      if (this.outbound === out) this.outbound = undefined;
      out.end();
      for (const [id, w] of this.waiting) {
        clearTimeout(w.timer);
        w.reject(failure);
        this.waiting.delete(id);
      }
    })();
    return out;
  }

  /** Ends the stream once the answers in flight are in (shutdown). */
  close(): void {
    this.outbound?.end();
    this.outbound = undefined;
  }
}
