// The yardstick for local speed: csv-parse alone reading a file, in its own process like the CLI.
// Usage: node bench/csv-parse-only.mjs FILE  → prints the number of records.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/csv-parse-only.mjs FILE\n');
  process.exit(1);
}
let records = 0;
const parser = createReadStream(file).pipe(parse({ bom: true, columns: true, relax_column_count: true }));
for await (const record of parser) {
  if (record) records += 1;
}
process.stdout.write(`${records}\n`);
