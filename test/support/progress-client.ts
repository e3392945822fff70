/**
 * Runs a client program whose progress a test watches while it runs (fault tests kill
 * broker processes when the client has acknowledged so many records). The program prints
 * "progress acked=A failed=F ..." lines (stderr or stdout), which may carry the count per
 * partition as "partitions=A0,A1,...", and its result JSON as its last stdout line.
 * Everything it prints is also written to a log file, kept for evidence. Spawned through
 * the fixtures' spawnManaged, so it dies with the test process.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { spawnManaged, waitUntil, type ManagedProcess } from '../fixtures/processes.js';

export interface ProgressClientOptions {
  /** Short name used in errors. */
  readonly name: string;
  /** Every byte the program prints goes here (stdout and stderr, interleaved). */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface ClientOutcome<T> {
  readonly result: T;
  readonly wallMs: number;
}

export interface ProgressClient<T> {
  readonly process: ManagedProcess;
  readonly logFile: string;
  /** Epoch ms when the program was spawned. */
  readonly startedAt: number;
  /** The last "acked=" count the program printed (0 before the first). */
  acked(): number;
  /** The per-partition counts of the last progress line that had them (empty before). */
  ackedByPartition(): readonly number[];
  /** Whether the program printed its final progress line ("... done"). */
  produceDone(): boolean;
  /** Resolves once acked() >= n; rejects if the program exits first or after timeoutMs. */
  waitForAcked(n: number, timeoutMs: number): Promise<number>;
  /** Resolves with the parsed last stdout line once the program exits 0 within timeoutMs. */
  finished(timeoutMs: number): Promise<ClientOutcome<T>>;
}

const PROGRESS = /progress acked=(\d+)[^\n]*?( done)?$/;
const PER_PARTITION = / partitions=(\d+(?:,\d+)*)/;
const STDOUT_KEEP = 1 << 20;

export function startProgressClient<T>(
  command: string,
  args: readonly string[],
  options: ProgressClientOptions,
): ProgressClient<T> {
  const log: WriteStream = createWriteStream(options.logFile);
  const proc = spawnManaged(command, args, {
    name: options.name,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const startedAt = Date.now();
  let acked = 0;
  let byPartition: readonly number[] = [];
  let done = false;
  let stdout = '';
  const partial = { stdout: '', stderr: '' };
  const onLine = (line: string) => {
    const m = PROGRESS.exec(line);
    if (m !== null) {
      acked = Math.max(acked, Number(m[1]));
      if (m[2] !== undefined) done = true;
      const parts = PER_PARTITION.exec(line);
      if (parts?.[1] !== undefined) byPartition = parts[1].split(',').map(Number);
    }
  };
  const feed = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    log.write(chunk);
    const text = partial[stream] + chunk.toString('utf8');
    const lines = text.split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) onLine(line);
    if (stream === 'stdout') {
      stdout += chunk.toString('utf8');
      if (stdout.length > STDOUT_KEEP * 2) stdout = stdout.slice(-STDOUT_KEEP);
    }
  };
  proc.child.stdout?.on('data', feed('stdout'));
  proc.child.stderr?.on('data', feed('stderr'));
  const closed = proc.exited.then(
    () =>
      new Promise<void>((resolve) => {
        log.end(resolve);
      }),
  );

  const failure = (what: string) =>
    new Error(
      `${options.name}: ${what}; log: ${options.logFile}\n${proc.outputTail().slice(-6000)}`,
    );

  return {
    process: proc,
    logFile: options.logFile,
    startedAt,
    acked: () => acked,
    ackedByPartition: () => byPartition,
    produceDone: () => done,
    async waitForAcked(n, timeoutMs) {
      await waitUntil(() => acked >= n, {
        timeoutMs,
        intervalMs: 20,
        what: `${options.name} to acknowledge ${n} records (at ${acked})`,
        abortIf: () => proc.exitStatus(),
        details: () => `log: ${options.logFile}\n${proc.outputTail().slice(-6000)}`,
      });
      return acked;
    },
    async finished(timeoutMs) {
      const timer = setTimeout(() => {
        void proc.kill('SIGKILL');
      }, timeoutMs);
      const { code, signal } = await proc.exited;
      clearTimeout(timer);
      await closed;
      if (code !== 0) {
        throw failure(
          `exited with ${String(code ?? signal)}${signal === 'SIGKILL' ? ` (killed after ${timeoutMs} ms)` : ''}`,
        );
      }
      const last = stdout.trimEnd().split('\n').at(-1) ?? '';
      try {
        return { result: JSON.parse(last) as T, wallMs: Date.now() - startedAt };
      } catch {
        throw failure(`no result JSON as the last stdout line: ${last.slice(0, 500)}`);
      }
    },
  };
}
