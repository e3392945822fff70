/** `npm run bench`: runs the benchmarks and prints a table of ratios against a same-run reference. */
import { codecBenchmarks } from './codec.js';
import { printTable } from './measure.js';

const { reference, rows } = codecBenchmarks();
console.log(`Kafka codec (node ${process.version}, ${new Date().toISOString()})\n`);
printTable(rows, reference);
