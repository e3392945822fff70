/** What every admin command gets: the AdminService client, the output and the options. */
import { toJson, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { Client } from '@connectrpc/connect';
import type { AdminService } from '../../gen/proto/kafscale/admin/v1/admin_pb.js';
import { Progress, type ProgressSink } from './progress.js';

export interface Output {
  write(text: string): unknown;
}

export interface CommandContext {
  readonly client: Client<typeof AdminService>;
  /** Print JSON (one document per command) instead of tables. */
  readonly json: boolean;
  /** Deadline of each unary call, in milliseconds. */
  readonly timeoutMs: number;
  readonly stdout: Output;
  readonly stderr: ProgressSink;
}

export type Command = (ctx: CommandContext, args: readonly string[]) => Promise<void>;

/** Writes a message as proto3 JSON (field names in lowerCamelCase, int64 as strings). */
export function printJson<D extends DescMessage>(
  ctx: CommandContext,
  schema: D,
  message: MessageShape<D>,
): void {
  ctx.stdout.write(
    `${JSON.stringify(toJson(schema, message, { alwaysEmitImplicit: true }), null, 2)}\n`,
  );
}

export function progress(ctx: CommandContext, label: string): Progress {
  return new Progress(ctx.stderr, label);
}
