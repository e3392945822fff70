/**
 * The operators' commands of `kafscale` (status, topics, partitions, nodes, groups) over
 * the controlplane's AdminService. The address comes from `--controlplane` or
 * KAFSCALE_CONTROLPLANE_URL; `--json` prints JSON instead of tables; `--timeout` bounds
 * each call. Errors go to stderr with an exit code scripts can rely on (exit-codes.ts).
 */
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { plainDialer, type GrpcDialer } from '../../grpc/grpc-dialer.js';
import { integerArg, UsageError } from './cli-args.js';
import type { Command, Output } from './command-context.js';
import { groupsCommand } from './commands/groups-command.js';
import { nodesCommand } from './commands/nodes-command.js';
import { partitionsCommand } from './commands/partitions-command.js';
import { statusCommand } from './commands/status-command.js';
import { topicsCommand } from './commands/topics-command.js';
import { ExitCode, exitCodeOf, type ExitCodeValue } from './exit-codes.js';
import type { ProgressSink } from './progress.js';

export const DEFAULT_CONTROLPLANE_URL = 'http://127.0.0.1:19094';
const DEFAULT_TIMEOUT_MS = 30_000;

export const ADMIN_COMMANDS: Readonly<Record<string, Command>> = {
  status: statusCommand,
  topics: topicsCommand,
  partitions: partitionsCommand,
  nodes: nodesCommand,
  groups: groupsCommand,
};

export const ADMIN_USAGE = `operator commands (options: --controlplane URL, --json, --timeout MS):
  status                                  controlplane leader, edges, storage nodes
  topics list | describe TOPIC | delete TOPIC
  topics create TOPIC [--partitions N] [--config k=v]... [--validate-only]
  topics alter TOPIC [--set k=v]... [--remove k]... [--validate-only]
  partitions list [--topic T] [--node ID] | move TOPIC PARTITION NODE | unpin TOPIC PARTITION
  nodes list | drain ID [--no-wait] | resume ID | flush [ID]
  groups list | describe GROUP
  groups reset-offsets GROUP --topic T... (--to-earliest | --to-latest | --to-offset N |
         --to-datetime ISO | --to-timestamp MS) [--execute]
The controlplane is KAFSCALE_CONTROLPLANE_URL (default ${DEFAULT_CONTROLPLANE_URL}) unless
--controlplane names it. Exit codes: 0 done, 1 failed, 2 bad arguments, 3 unreachable,
4 not found, 5 refused in the cluster's current state.
`;

interface GlobalOptions {
  readonly url: string;
  readonly json: boolean;
  readonly timeoutMs: number;
  readonly rest: string[];
}

/** Takes the global options out of the arguments, wherever they appear. */
function globalOptions(args: readonly string[], envUrl: string | undefined): GlobalOptions {
  let url = envUrl === undefined || envUrl === '' ? DEFAULT_CONTROLPLANE_URL : envUrl;
  let json = false;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [name, inline] = arg.startsWith('--') ? splitOption(arg) : [arg, undefined];
    if (name === '--json') {
      json = true;
    } else if (name === '--controlplane' || name === '--timeout') {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (name === '--controlplane') url = value;
      else timeoutMs = integerArg('--timeout', value, 1, 2 ** 31 - 1);
    } else rest.push(arg);
  }
  return { url: normalizeUrl(url), json, timeoutMs, rest };
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** `host:port` or `http://host:port`; anything else is a usage error naming it. */
export function normalizeUrl(text: string): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const withScheme = hasScheme ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`the controlplane address '${text}' is not a URL or host:port`);
  }
  if (url.protocol !== 'http:') {
    throw new UsageError(`the controlplane address '${text}' must use http:// (gRPC over HTTP/2)`);
  }
  if (!hasScheme && url.port === '') {
    throw new UsageError(`the controlplane address '${text}' needs a port`);
  }
  return `http://${url.host}`;
}

export interface AdminCliIo {
  readonly stdout: Output;
  readonly stderr: ProgressSink;
  /** KAFSCALE_CONTROLPLANE_URL. */
  readonly controlplaneUrl: string | undefined;
  /**
   * How to reach the AdminService (mutual TLS and the admin token when configured); throws
   * on a bad setting. Plain HTTP/2 without a token when absent.
   */
  readonly dialer?: () => Promise<GrpcDialer>;
}

export async function runAdminCommand(
  argv: readonly string[],
  io: AdminCliIo,
): Promise<ExitCodeValue> {
  let options: GlobalOptions;
  try {
    options = globalOptions(argv, io.controlplaneUrl);
  } catch (e) {
    return reportUsage(e, io);
  }
  const [noun = '', ...args] = options.rest;
  const command = ADMIN_COMMANDS[noun];
  if (command === undefined) {
    io.stderr.write(`kafscale: unknown command '${noun}'\n${ADMIN_USAGE}`);
    return ExitCode.USAGE;
  }
  let dialer: GrpcDialer;
  try {
    dialer = io.dialer === undefined ? plainDialer() : await io.dialer();
  } catch (e) {
    io.stderr.write(`kafscale: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.USAGE;
  }
  const client = createClient(AdminService, dialer.transport(options.url));
  try {
    await command(
      {
        client,
        json: options.json,
        timeoutMs: options.timeoutMs,
        stdout: io.stdout,
        stderr: io.stderr,
      },
      args,
    );
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof UsageError) return reportUsage(e, io);
    if (e instanceof ConnectError) {
      const where =
        e.code === Code.Unavailable || e.code === Code.DeadlineExceeded
          ? ` (controlplane ${options.url})`
          : '';
      io.stderr.write(`kafscale: ${Code[e.code]}${where}: ${e.rawMessage}\n`);
      return exitCodeOf(e.code);
    }
    throw e;
  }
}

function reportUsage(e: unknown, io: AdminCliIo): ExitCodeValue {
  if (!(e instanceof UsageError)) throw e;
  io.stderr.write(`kafscale: ${e.message}\n(kafscale help lists the commands)\n`);
  return ExitCode.USAGE;
}
