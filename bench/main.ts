/** `npm run bench`: runs the benchmarks and prints tables of ratios against same-run references. */
import { codecBenchmarks } from './codec.js';
import { groupCommitBenchmarks, printCommitTable } from './group-commits.js';
import { printTable } from './measure.js';

const { reference, rows } = codecBenchmarks();
console.log(`Kafka codec (node ${process.version}, ${new Date().toISOString()})\n`);
printTable(rows, reference);

console.log('\nOffset commits through one coordinator into a real etcd (3 s per row)\n');
printCommitTable(await groupCommitBenchmarks());
