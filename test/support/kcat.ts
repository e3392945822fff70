/** Reads a partition from the beginning with kcat (librdkafka), one output line per record. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The first `count` records of a partition, formatted by kcat's `-f` (default
 * "offset value"); stops at the end of the partition if it holds fewer.
 */
export async function kcatConsume(
  port: number,
  topic: string,
  partition: number,
  count: number,
  format = '%o %s\\n',
): Promise<string[]> {
  const { stdout } = await run(
    'kcat',
    [
      '-C',
      '-b',
      `127.0.0.1:${port}`,
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      'beginning',
      '-c',
      String(count),
      '-e',
      '-q',
      '-f',
      format,
    ],
    { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout.split('\n').filter((l) => l !== '');
}
