/**
 * `npm run bench -- [--quick] [--s3-model MODEL]`:
 * - `--quick`: 100,000 records in the throughput phases instead of 1,000,000 (for
 *   development; KAFSCALE_BENCH_RECORDS, when set, wins), and no micro-benchmarks.
 * - `--s3-model MODEL`: Kafscale's storage node reaches MinIO through the S3 latency proxy
 *   (docs/s3-latency-model.md) with MODEL (`s3-standard`, `s3-express`, `none`, and error
 *   rates such as `s3-standard,put.slowDown=0.01`).
 * - `--out FILE`: where the printed tables are written as well (default
 *   bench-results/bench-<time>[-quick][-MODEL].txt, output-file.ts).
 * - `--producer-props k=v[,k=v...]`: producer settings the Java perf tools' producers run
 *   with against both brokers, on top of acks=all (e.g. `linger.ms=50,batch.size=262144`,
 *   a window that S3's latency does not bound). Without it the producers run at their
 *   defaults.
 * A bad argument throws an Error naming it.
 */
import type { LatencyModel } from '../test/fixtures/s3-model/latency-model.js';
import { parseModelFlag } from '../test/fixtures/s3-model/parse-model-flag.js';

export interface BenchArgs {
  readonly quick: boolean;
  readonly s3Model: LatencyModel | undefined;
  /** The file the tables go to as well as the terminal; undefined: the default name. */
  readonly out: string | undefined;
  /** `key=value` settings for the benchmark's producers; empty: their defaults. */
  readonly producerProps: readonly string[];
}

/** A Java client property: dotted lower-case words, then a value without spaces or commas. */
const PRODUCER_PROP = /^[a-z][a-z0-9]*(\.[a-z0-9]+)*=[^\s,=]+$/;

function parseProducerProps(value: string): string[] {
  const props = value.split(',');
  for (const prop of props) {
    if (!PRODUCER_PROP.test(prop))
      throw new Error(`--producer-props: "${prop}" is not a key=value producer setting`);
    if (prop.startsWith('acks='))
      throw new Error(`--producer-props: "${prop}": the benchmark always produces with acks=all`);
  }
  return props;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let s3Model: LatencyModel | undefined;
  let out: string | undefined;
  let producerProps: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--s3-model' || arg.startsWith('--s3-model=')) {
      const value = arg === '--s3-model' ? argv[++i] : arg.slice('--s3-model='.length);
      if (value === undefined || value === '') throw new Error('--s3-model needs a model name');
      s3Model = parseModelFlag(value);
    } else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (value === undefined || value === '') throw new Error('--out needs a file name');
      out = value;
    } else if (arg === '--producer-props' || arg.startsWith('--producer-props=')) {
      const value = arg === '--producer-props' ? argv[++i] : arg.slice('--producer-props='.length);
      if (value === undefined || value === '')
        throw new Error('--producer-props needs key=value settings');
      producerProps = parseProducerProps(value);
    } else {
      throw new Error(
        `unknown argument "${arg}" (expected --quick, --s3-model MODEL, --out FILE or --producer-props k=v,...)`,
      );
    }
  }
  return { quick, s3Model, out, producerProps };
}
