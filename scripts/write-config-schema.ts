import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

// Regenerates schema/import.config.schema.json from the zod schema; a test fails when it is stale.
const target = new URL('../schema/import.config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
