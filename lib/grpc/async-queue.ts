/**
 * An unbounded-by-type but caller-bounded queue that is also an async iterable: producers
 * push, one consumer iterates; `end` finishes the iteration and `fail` makes it throw.
 * Used to feed and drain gRPC streams.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private error: { readonly cause: unknown } | undefined;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(cause: unknown): void {
    this.error ??= { cause };
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.error)
        throw this.error.cause instanceof Error
          ? this.error.cause
          : new Error(String(this.error.cause));
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }
}
