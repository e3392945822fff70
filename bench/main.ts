/**
 * `npm run bench [-- --quick] [--s3-model MODEL] [--out FILE] [--producer-props k=v,...]`
 * (bench-args.ts): runs the benchmarks and prints tables of ratios against same-run
 * references, to the terminal and to a file (output-file.ts).
 */
import { parseBenchArgs } from './bench-args.js';
import { codecBenchmarks } from './codec.js';
import { groupCommitBenchmarks, printCommitTable } from './group-commits.js';
import { grpcTransferBenchmarks, printTransferTable } from './grpc-transfer.js';
import { kafkaPerfBenchmark } from './kafka-perf/kafka-perf.js';
import { printTable } from './measure.js';
import { defaultOutputFile, teeConsoleLog } from './output-file.js';
import { printS3RequestTable, s3RequestBenchmarks } from './s3-requests.js';

const args = parseBenchArgs(process.argv.slice(2));
const outputFile = args.out ?? defaultOutputFile(args, new Date());
teeConsoleLog(outputFile);

if (!args.quick) {
  const { reference, rows } = codecBenchmarks();
  console.log(`Kafka codec (node ${process.version}, ${new Date().toISOString()})\n`);
  printTable(rows, reference);

  console.log(
    '\nFetch answers of 5.1 MiB over gRPC between two services, in-process (40 per row)\n',
  );
  printTransferTable(await grpcTransferBenchmarks());

  console.log(
    '\nS3 requests against MinIO, client CPU and time per request (PUT 200 KiB, ranged GET 64 KiB, 4 in flight, 400 each)\n',
  );
  printS3RequestTable(await s3RequestBenchmarks());

  console.log('\nOffset commits through one coordinator into a real etcd (3 s per row)\n');
  printCommitTable(await groupCommitBenchmarks());
}

console.log("\nKafscale against Apache Kafka 3.9.1 with Kafka's perf tools (docs/benchmark.md)\n");
if (process.env.KAFSCALE_BENCH_SKIP_KAFKA === '1')
  console.log('skipped: KAFSCALE_BENCH_SKIP_KAFKA=1');
else await kafkaPerfBenchmark(args);

// Not into the file itself.
process.stdout.write(`\nThese tables are also in ${outputFile}\n`);
