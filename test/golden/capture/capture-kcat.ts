/**
 * Re-captures test/golden/kcat: runs kcat (librdkafka) against the capture broker.
 * Needs `kcat` on the PATH (Debian: `apt-get install -y kcat`).
 * Run: npx tsx test/golden/capture/capture-kcat.ts
 */
import { run } from './run-process.js';
import { startCaptureBroker } from './capture-broker.js';

export const KCAT_CLIENT_ID = 'golden-kcat';
const TOPIC = 'golden-topic';

async function kcat(args: string[], input?: string): Promise<void> {
  await run('kcat', args, { input });
}

const broker = await startCaptureBroker({ client: 'kcat' });
const common = ['-b', broker.bootstrap, '-X', `client.id=${KCAT_CLIENT_ID}`];
try {
  await kcat(['-V']);
  await kcat([...common, '-L', '-t', TOPIC]);
  await kcat(
    [...common, '-P', '-t', TOPIC, '-p', '0', '-k', 'key', '-H', 'h1=v1', '-H', 'h2=v2'],
    'golden-1\ngolden-2\ngolden-3\n',
  );
  await kcat(
    [...common, '-P', '-t', TOPIC, '-p', '1', '-K', ':', '-z', 'gzip', '-X', 'acks=all'],
    'k1:gzip-1\nk2:gzip-2\n',
  );
  await kcat([
    ...common,
    '-C',
    '-t',
    TOPIC,
    '-p',
    '0',
    '-o',
    'beginning',
    '-c',
    '3',
    '-e',
    '-f',
    '%k %s\\n',
  ]);
  await kcat([
    ...common,
    '-G',
    'golden-group',
    '-c',
    '5',
    '-X',
    'auto.offset.reset=earliest',
    '-X',
    'enable.auto.commit=true',
    '-X',
    'auto.commit.interval.ms=100',
    '-f',
    '%t/%p/%o %k %s\\n',
    TOPIC,
  ]);
  await kcat([...common, '-L']);
} finally {
  await broker.close();
}
process.stderr.write(`wrote ${broker.written.length} fixtures: ${broker.written.join(' ')}\n`);
