import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { lateBound } from '../../../../../lib/cli/services/late-bound.js';

interface Greeter {
  greet(name: string): string;
  missing(): void;
}

describe('lateBound', () => {
  it('calls the target bound later, with its own this', () => {
    const bound: { target?: Greeter } = {};
    const service = lateBound<Greeter>(() => {
      if (bound.target === undefined) throw new ConnectError('starting', Code.Unavailable);
      return bound.target;
    });
    expect(() => service.greet('a')).toThrow(
      expect.objectContaining({ code: Code.Unavailable }) as Error,
    );
    bound.target = {
      prefix: 'hello ',
      greet(this: { prefix: string }, name: string) {
        return this.prefix + name;
      },
    } as unknown as Greeter;
    expect(service.greet('b')).toBe('hello b');
  });

  it('answers a method the target lacks as UNIMPLEMENTED, naming it', () => {
    const service = lateBound<Greeter>(() => ({ greet: (n: string) => n }) as unknown as Greeter);
    let error: unknown;
    try {
      service.missing();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.Unimplemented);
    expect((error as ConnectError).message).toContain('no method missing');
  });
});
