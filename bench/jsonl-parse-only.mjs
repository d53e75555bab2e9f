// The yardstick for the JSON reader: a bare loop that reads a JSONL file line by line and only JSON.parses
// each line, in its own process like the CLI. Usage: node bench/jsonl-parse-only.mjs FILE → prints the number
// of messages (the length of each record's `comments`).
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/jsonl-parse-only.mjs FILE\n');
  process.exit(1);
}
const decoder = new StringDecoder('utf8');
let rest = '';
let messages = 0;
const count = (line) => {
  if (line.trim() !== '') messages += JSON.parse(line).comments?.length ?? 0;
};
for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
  const text = rest + decoder.write(chunk);
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    count(text.slice(start, end));
    start = end + 1;
  }
  rest = text.slice(start);
}
count(rest + decoder.end());
process.stdout.write(`${messages}\n`);
