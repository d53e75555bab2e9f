/**
 * Cells under their header, as a reject reports them: a missing cell is empty, an extra one gets a name of
 * its own.
 */
export function rawCells(headers: readonly string[], fields: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < headers.length; i++) raw[headers[i] as string] = fields[i] ?? '';
  for (let i = headers.length; i < fields.length; i++) raw[`(field ${i + 1})`] = fields[i] as string;
  return raw;
}
