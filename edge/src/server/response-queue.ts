/**
 * Keeps responses in request order on one connection while requests run concurrently:
 * each request takes a slot when it arrives; a slot filled out of order waits until every
 * slot before it is filled, then all ready slots are written together.
 */
export interface ResponseSlot {
  /** The response frame's chunks; empty when the request gets no response. */
  chunks: readonly Uint8Array[] | null;
}

export class ResponseQueue {
  private readonly slots: ResponseSlot[] = [];

  constructor(private readonly write: (chunks: readonly Uint8Array[]) => void) {}

  get pending(): number {
    return this.slots.length;
  }

  open(): ResponseSlot {
    const slot: ResponseSlot = { chunks: null };
    this.slots.push(slot);
    return slot;
  }

  fill(slot: ResponseSlot, chunks: readonly Uint8Array[]): void {
    slot.chunks = chunks;
    const ready: Uint8Array[] = [];
    for (let head = this.slots[0]; head?.chunks != null; head = this.slots[0]) {
      this.slots.shift();
      for (const c of head.chunks) ready.push(c);
    }
    if (ready.length > 0) this.write(ready);
  }
}
