/** JSON forms of the admin API's values. */

/**
 * An int64 as JSON: a number while it is exact as one (offsets and byte counts are far
 * below 2^53 in practice), else its decimal string, never a rounded number.
 */
export function int64(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** An int64 where -1 means unknown: null then. */
export function knownInt64(value: bigint): number | string | null {
  return value < 0n ? null : int64(value);
}

/** Runs `work` over `items` with at most `limit` at once, keeping the order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
