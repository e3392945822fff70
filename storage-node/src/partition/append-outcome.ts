/** What one partition's part of an Append call comes to: offsets on success, a Kafka error otherwise. */
export type AppendOutcome =
  | {
      readonly ok: true;
      readonly errorCode: 0;
      readonly baseOffset: bigint;
      readonly logStartOffset: bigint;
      /** The append time the batches were stamped with (LogAppendTime topics only). */
      readonly logAppendTimeMs?: bigint;
    }
  | { readonly ok: false; readonly errorCode: number; readonly message: string };

/** A batch list waiting in a partition for the next flush, with the promise its caller awaits. */
export interface PendingAppend {
  /** Validated batches, as views of the request's bytes. */
  readonly batches: readonly Uint8Array[];
  readonly bytes: number;
  readonly settle: (outcome: AppendOutcome) => void;
}

export function failure(errorCode: number, message: string): AppendOutcome {
  return { ok: false, errorCode, message };
}
