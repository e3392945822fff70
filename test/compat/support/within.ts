/** Rejects when the promise takes longer than ms (the promise keeps running). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`${what}: no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error as one line: its name, a kafkajs error type when it has one, and its message. */
export function errText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const type = (err as { type?: unknown }).type;
  return `${err.name}${typeof type === 'string' ? ` (${type})` : ''}: ${err.message}`;
}
