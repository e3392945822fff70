/**
 * Exit codes of the admin commands, for scripts. Documented in docs/operations.md.
 */
import { Code } from '@connectrpc/connect';

export const ExitCode = {
  /** Done. */
  OK: 0,
  /** The controlplane refused or failed the operation (its message says why). */
  FAILED: 1,
  /** Bad arguments: nothing was sent. */
  USAGE: 2,
  /** The controlplane (or what it needs: etcd, a storage node) could not be reached in time. */
  UNREACHABLE: 3,
  /** The topic, group or node named does not exist. */
  NOT_FOUND: 4,
  /** The cluster's state refuses it now (a group with members, a node with nowhere to drain). */
  REFUSED: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeOf(code: Code): ExitCodeValue {
  switch (code) {
    case Code.Unavailable:
    case Code.DeadlineExceeded:
      return ExitCode.UNREACHABLE;
    case Code.NotFound:
      return ExitCode.NOT_FOUND;
    case Code.FailedPrecondition:
    case Code.AlreadyExists:
      return ExitCode.REFUSED;
    case Code.InvalidArgument:
      return ExitCode.USAGE;
    default:
      return ExitCode.FAILED;
  }
}
