/**
 * Runs one client's compatibility program against a broker and parses the CompatResult it
 * prints last. The program's stderr is passed through when KAFSCALE_COMPAT_VERBOSE is set and
 * kept (tail) in the error when the program fails.
 */
import { spawn } from 'node:child_process';
import { parseResult, type CompatResult } from './scenario.js';

export interface ClientRun {
  readonly result: CompatResult;
  readonly wallMs: number;
  readonly stderr: string;
}

export function runClient(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: Readonly<Record<string, string>>; cwd?: string },
): Promise<ClientRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    const verbose = process.env.KAFSCALE_COMPAT_VERBOSE !== undefined;
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => {
      if (verbose) process.stderr.write(c);
      stderr += c.toString();
      if (stderr.length > 4 << 20) stderr = stderr.slice(-(1 << 20));
    });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
    }, options.timeoutMs);
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      const tail = stderr.slice(-8000);
      if (code !== 0) {
        reject(
          new Error(
            `${command} ${args.join(' ')} exited ${String(code ?? signal)}\n` +
              `stdout tail: ${stdout.slice(-4000)}\nstderr tail: ${tail}`,
          ),
        );
        return;
      }
      try {
        resolve({ result: parseResult(stdout), wallMs: Date.now() - started, stderr: tail });
      } catch (err) {
        reject(new Error(`no result JSON from ${command}: ${String(err)}\n${stdout.slice(-4000)}`));
      }
    });
  });
}
