/**
 * `kafscale console` as a child process (from source), started with extra settings and
 * awaited until it prints its start-up line, and stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { kafscaleSourceArgs, SOURCE_ROOT } from '../fixtures/kafscale-source.js';

/** Starts `kafscale console` with `env` and waits for its start-up line. */
export async function startConsoleProcess(
  env: Record<string, string>,
): Promise<{ proc: ChildProcess; banner: string }> {
  const proc = spawn(process.execPath, kafscaleSourceArgs(['console']), {
    cwd: SOURCE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KAFSCALE_CONSOLE_ADDR: '127.0.0.1:0',
      KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
      KAFSCALE_CONSOLE_ADMIN_TOKEN: '',
      ...env,
    },
  });
  let output = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`kafscale console did not start: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /kafscale console: .*\n/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kafscale console exited with ${String(code)}: ${output}`));
    });
  });
  return { proc, banner: line };
}

export async function stopProcess(proc: ChildProcess | undefined): Promise<void> {
  if (proc?.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}
