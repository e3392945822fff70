/**
 * Runs one of Apache Kafka's command-line tools the way its shell script does: `java -cp` over
 * the jars scripts/test-deps.sh fetched, the tool's main class, `--bootstrap-server` and the
 * given arguments. A non-zero exit is a result, not a rejection; a run past its timeout is
 * killed and marked timed out. KAFSCALE_COMPAT_VERBOSE echoes the tool's stderr,
 * KAFSCALE_COMPAT_DEBUG raises its log level to debug.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface JavaToolRun {
  /** The main class and arguments after --bootstrap-server, for reports. */
  readonly mainClass: string;
  readonly args: readonly string[];
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface JavaToolOptions {
  /** The directory holding lib/*.jar. */
  readonly toolsDir: string;
  readonly bootstrap: string;
  readonly timeoutMs: number;
  /** Piped to the tool's stdin (closed at once when absent). */
  readonly stdin?: string;
}

export function runJavaTool(
  mainClass: string,
  args: readonly string[],
  options: JavaToolOptions,
): Promise<JavaToolRun> {
  const level = process.env.KAFSCALE_COMPAT_DEBUG === undefined ? 'warn' : 'debug';
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(
      'java',
      [
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        `-Dorg.slf4j.simpleLogger.defaultLogLevel=${level}`,
        '-cp',
        join(options.toolsDir, 'lib/*'),
        mainClass,
        '--bootstrap-server',
        options.bootstrap,
        ...args,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => {
      if (process.env.KAFSCALE_COMPAT_VERBOSE !== undefined) process.stderr.write(c);
      stderr += c.toString();
      if (stderr.length > 4 << 20) stderr = stderr.slice(-(1 << 20));
    });
    proc.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, options.timeoutMs);
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ mainClass, args, code, timedOut, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** What a run printed (the last 3,000 characters of each stream), for a check's detail. */
export function shownRun(run: JavaToolRun, label: string): string {
  const status = run.timedOut ? 'timed out' : `exit ${run.code}`;
  const err = run.stderr.trim();
  return (
    `[${label} ${run.args.join(' ')}: ${status}, ${run.ms} ms] stdout: ${JSON.stringify(run.stdout.trim().slice(-3000))}` +
    (err === '' ? '' : ` stderr: ${JSON.stringify(err.slice(-3000))}`)
  );
}
