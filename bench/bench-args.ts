/**
 * `npm run bench -- [--quick] [--s3-model MODEL]`:
 * - `--quick`: 100,000 records in the throughput phases instead of 1,000,000 (for
 *   development; KAFSCALE_BENCH_RECORDS, when set, wins), and no micro-benchmarks.
 * - `--s3-model MODEL`: Kafscale's storage node reaches MinIO through the S3 latency proxy
 *   (docs/s3-latency-model.md) with MODEL (`s3-standard`, `s3-express`, `none`, and error
 *   rates such as `s3-standard,put.slowDown=0.01`).
 * - `--out FILE`: where the printed tables are written as well (default
 *   bench-results/bench-<time>[-quick][-MODEL].txt, output-file.ts).
 * A bad argument throws an Error naming it.
 */
import type { LatencyModel } from '../test/fixtures/s3-model/latency-model.js';
import { parseModelFlag } from '../test/fixtures/s3-model/parse-model-flag.js';

export interface BenchArgs {
  readonly quick: boolean;
  readonly s3Model: LatencyModel | undefined;
  /** The file the tables go to as well as the terminal; undefined: the default name. */
  readonly out: string | undefined;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let s3Model: LatencyModel | undefined;
  let out: string | undefined;
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
    } else {
      throw new Error(
        `unknown argument "${arg}" (expected --quick, --s3-model MODEL or --out FILE)`,
      );
    }
  }
  return { quick, s3Model, out };
}
