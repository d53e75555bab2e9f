import { z } from 'zod';
import { configSchema } from './schema.js';

/** The published JSON Schema of `import.config.json`, generated from the zod schema (the one source). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://hs-import.dev/schema/import.config.schema.json',
    title: 'hs-import configuration',
  };
}
