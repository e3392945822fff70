/**
 * A service implementation whose target is known only later: each method, when called,
 * calls the same-named method of `target()` (which throws until the target exists; a
 * ConnectError it throws, such as UNAVAILABLE while starting, reaches the caller as is). The
 * controlplane serves its gRPC routes before it knows its own address, and binds the
 * services once started; a new rpc needs no change here. A method the target lacks is
 * UNIMPLEMENTED, as for a route never registered.
 */
import { Code, ConnectError } from '@connectrpc/connect';

export function lateBound<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get: (_, name) => {
      if (typeof name !== 'string') return undefined;
      return (...args: unknown[]) => {
        const t = target() as Record<string, unknown>;
        const method = t[name];
        if (typeof method !== 'function')
          throw new ConnectError(`no method ${name}`, Code.Unimplemented);
        return (method as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}
