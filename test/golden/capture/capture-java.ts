/**
 * Re-captures test/golden/java: fetches org.apache.kafka:kafka-clients (see java/pom.xml)
 * from Maven Central into ~/.cache/kafscale/golden-java (outside the checkout), compiles
 * java/GoldenCapture.java there and runs it against the capture broker.
 * Needs a JDK (javac) and Maven. Run: npx tsx test/golden/capture/capture-java.ts
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCaptureBroker } from './capture-broker.js';
import { run } from './run-process.js';

const here = join(dirname(fileURLToPath(import.meta.url)), 'java');
const cache =
  process.env.KAFSCALE_GOLDEN_JAVA_CACHE ?? join(homedir(), '.cache/kafscale/golden-java');
const libDir = join(cache, 'lib');
const classesDir = join(cache, 'classes');

mkdirSync(libDir, { recursive: true });
mkdirSync(classesDir, { recursive: true });
if (!readdirSync(libDir).some((f) => f.startsWith('kafka-clients-'))) {
  await run(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(here, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libDir}`,
    ],
    { timeoutMs: 300_000 },
  );
}
const jars = readdirSync(libDir)
  .filter((f) => f.endsWith('.jar'))
  .map((f) => join(libDir, f));
const classpath = jars.join(':');
await run('javac', ['-d', classesDir, '-cp', classpath, join(here, 'GoldenCapture.java')], {
  timeoutMs: 120_000,
});
if (!existsSync(join(classesDir, 'GoldenCapture.class'))) throw new Error('javac wrote nothing');

const broker = await startCaptureBroker({ client: 'java' });
try {
  await run(
    'java',
    [
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      `${classpath}:${classesDir}`,
      'GoldenCapture',
      broker.bootstrap,
    ],
    { timeoutMs: 180_000 },
  );
} finally {
  await broker.close();
}
process.stderr.write(`wrote ${broker.written.length} fixtures: ${broker.written.join(' ')}\n`);
