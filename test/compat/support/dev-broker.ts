/**
 * Starts `kafscale dev` from source (tsx) on a free port with a temporary data dir, for the
 * client compatibility tests. The broker's own output is kept (last 2 MiB) and can be written
 * to a file to debug a failing client: set KAFSCALE_COMPAT_BROKER_LOG=path, and for wire
 * traces also KAFSCALE_TRACE_KAFKA=1 KAFSCALE_LOG_LEVEL=debug (passed through the environment).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafscaleSourceArgs, SOURCE_ROOT } from '../../fixtures/kafscale-source.js';

const KEEP_OUTPUT = 2 << 20;

export interface DevBroker {
  /** `127.0.0.1:PORT` */
  readonly bootstrap: string;
  readonly port: number;
  /** What the broker printed so far (tail). */
  output(): string;
  /** SIGKILLs the broker and removes its data dir. */
  stop(): Promise<void>;
}

export interface DevBrokerOptions {
  /** Extra environment for the broker process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export async function startDevBroker(options: DevBrokerOptions = {}): Promise<DevBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kafscale-compat-'));
  const proc: ChildProcess = spawn(
    process.execPath,
    kafscaleSourceArgs(['dev', '--data-dir', dataDir, '--kafka-port', '0']),
    {
      cwd: SOURCE_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KAFSCALE_METRICS_ADDR: '127.0.0.1:0',
        KAFSCALE_CONTROLPLANE_ADDR: '127.0.0.1:0',
        KAFSCALE_CONSOLE_ADDR: '127.0.0.1:0',
        ...options.env,
      },
    },
  );
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > KEEP_OUTPUT * 2) output = output.slice(-KEEP_OUTPUT);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);

  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    }
    const logPath = process.env.KAFSCALE_COMPAT_BROKER_LOG;
    if (logPath !== undefined && logPath !== '') writeFileSync(logPath, output);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`kafscale dev did not start: ${output}`));
      }, options.startTimeoutMs ?? 30_000);
      const check = () => {
        const m = /Kafka on 127\.0\.0\.1:(\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      proc.stdout?.on('data', check);
      proc.stderr?.on('data', check);
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kafscale dev exited with ${String(code)}: ${output}`));
      });
    });
    return { bootstrap: `127.0.0.1:${port}`, port, output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
