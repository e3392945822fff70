/** Dispatch of `kafscale <noun> <verb> ...` to one function per verb. */
import { UsageError } from './cli-args.js';
import type { Command } from './command-context.js';

export function subcommands(noun: string, verbs: Readonly<Record<string, Command>>): Command {
  return async (ctx, args) => {
    const [verb, ...rest] = args;
    const run = verb === undefined ? undefined : verbs[verb];
    if (run === undefined) {
      const known = Object.keys(verbs).join(', ');
      throw new UsageError(
        verb === undefined
          ? `${noun} needs a subcommand: ${known}`
          : `unknown ${noun} subcommand '${verb}' (known: ${known})`,
      );
    }
    await run(ctx, rest);
  };
}
