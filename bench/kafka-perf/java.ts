/**
 * Runs a Kafka main class with `java -cp LIB/*`, the JVM options Kafka's scripts give it
 * (kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS; the heap is the caller's), slf4j-simple
 * at warn, lines of stdout and stderr handed to a callback, and a time limit.
 */
import { createInterface } from 'node:readline';
import { spawnManaged, type ManagedProcess } from '../../test/fixtures/processes.js';

/** kafka-run-class.sh's KAFKA_JVM_PERFORMANCE_OPTS. */
const PERFORMANCE_OPTS = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

export interface JavaOptions {
  readonly lib: string;
  readonly mainClass: string;
  readonly args: readonly string[];
  /** e.g. ['-Xmx512M'] (kafka-producer-perf-test.sh) or ['-Xmx1G', '-Xms1G'] (the broker). */
  readonly heap: readonly string[];
  readonly name: string;
  readonly cwd?: string;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** slf4j-simple levels for some loggers (the default level stays warn). */
  readonly logLevels?: Readonly<Record<string, string>>;
}

export function spawnJava(o: JavaOptions): ManagedProcess {
  const proc = spawnManaged(
    'java',
    [
      ...o.heap,
      ...PERFORMANCE_OPTS,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      ...Object.entries(o.logLevels ?? {}).map(
        ([logger, level]) => `-Dorg.slf4j.simpleLogger.log.${logger}=${level}`,
      ),
      '-cp',
      `${o.lib}/*`,
      o.mainClass,
      ...o.args,
    ],
    { name: o.name, ...(o.cwd === undefined ? {} : { cwd: o.cwd }) },
  );
  const onLine = o.onLine;
  if (onLine !== undefined) {
    for (const [stream, input] of [
      ['stdout', proc.child.stdout],
      ['stderr', proc.child.stderr],
    ] as const) {
      if (input === null) continue;
      createInterface({ input }).on('line', (line) => {
        onLine(line, stream);
      });
    }
  }
  return proc;
}

export interface JavaRun {
  readonly code: number | null;
  readonly seconds: number;
  readonly output: string;
}

/** Runs a tool to its end; throws with the output tail if it fails or overruns `timeoutMs`. */
export async function runJava(o: JavaOptions, timeoutMs: number): Promise<JavaRun> {
  const started = performance.now();
  const proc = spawnJava(o);
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => {
      resolve('overrun');
    }, timeoutMs);
  });
  const end = await Promise.race([proc.exited, overrun]);
  clearTimeout(timer);
  if (end === 'overrun') await proc.kill('SIGKILL');
  const output = proc.outputTail();
  const code = end === 'overrun' ? null : end.code;
  if (code !== 0) {
    const why = end === 'overrun' ? `did not finish in ${timeoutMs / 1000} s` : proc.exitStatus();
    throw new Error(`${o.mainClass} ${o.args.join(' ')}: ${why}\n${output.slice(-4000)}`);
  }
  return { code, seconds: (performance.now() - started) / 1000, output };
}
