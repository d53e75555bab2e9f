import { CANONICAL_COLUMNS, jsonShapeSchema, type SourceConfig } from '../../config/schema.js';
import { FatalError } from '../../util/errors.js';
import { urlFilesOf } from '../attachments.js';
import type { FileRead } from '../read-source.js';
import { createRoleResolver } from '../roles.js';
import { repairMojibake } from '../text.js';
import { isKnownTimeZone } from '../timestamps.js';
import type { SourceItem } from '../types.js';
import { sizeProblem } from '../whole-problems.js';
import { itemsOfRecord, type JsonReadPlan } from './items.js';
import { isJsonPreset, JSON_PRESETS } from './presets.js';
import { type LineRange, readJsonDocument, readJsonLines } from './records.js';
import { compileShape } from './shape.js';

/** The shapes and roles of a JSON source: its own `shapes`, else its preset's; run-fatal when it has neither. */
export function planJsonRead(config: SourceConfig, file: string): JsonReadPlan {
  if (!isKnownTimeZone(config.timezone)) {
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `source.timezone "${config.timezone}" is not an IANA time zone`,
      {
        timezone: config.timezone,
      },
    );
  }
  const preset =
    config.preset !== undefined && isJsonPreset(config.preset) ? JSON_PRESETS[config.preset] : undefined;
  if (config.preset !== undefined && preset === undefined && config.shapes === undefined) {
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `${file}: the ${config.preset} preset reads CSV, but this file is JSON (set source.format, or the right source.preset)`,
      { file, preset: config.preset },
    );
  }
  const shapes = config.shapes ?? preset?.shapes.map((shape) => jsonShapeSchema.parse(shape));
  if (shapes === undefined || shapes.length === 0) {
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `${file}: a JSON export of no known platform: name its source.preset, or describe it in source.shapes`,
      { file },
    );
  }
  const resolveRole = createRoleResolver({ ...preset?.roles, ...config.roles });
  const base = { timezone: config.timezone, resolveRole };
  const read = new Set<string>(['author_role']);
  for (const shape of shapes) {
    for (const fields of [shape.conversation, shape.message.fields, shape.first?.fields ?? {}])
      for (const column of Object.keys(fields)) read.add(column);
  }
  return {
    shapes: shapes.map(compileShape),
    rawHeaders: CANONICAL_COLUMNS.filter((column) => read.has(column)),
    resolveRole,
    rules: { plain: { ...base, textFormat: 'plain' }, html: { ...base, textFormat: 'html' } },
    clean: config.repairMojibake ? (cell) => repairMojibake(cell).trim() : (cell) => cell.trim(),
    sizeProblem,
    urlFiles: urlFilesOf(config.attachments),
  };
}

/** What reading one JSON file needs (a FileRead without what only CSV files use). */
export type JsonFileRead = Pick<FileRead, 'config' | 'absPath' | 'file' | 'nextSeq'>;

/** One JSON or JSONL file's messages as rows or rejects, a chunk of records at a time. */
export async function* readJsonFile(
  read: JsonFileRead,
  format: 'json' | 'jsonl',
): AsyncGenerator<SourceItem[]> {
  for await (const records of readJsonRecordItems(read, format)) {
    const items: SourceItem[] = [];
    for (const record of records) for (const item of record) items.push(item);
    if (items.length > 0) yield items;
  }
}

/**
 * The same, each record's items apart (a record that yields no item is left out): what a reader that takes
 * a record as a whole conversation needs. `range`: only that part of a JSONL file, numbered within it.
 * `cells: false`: rows and rejects without their cells, for a reader that only counts and places them.
 */
export async function* readJsonRecordItems(
  read: JsonFileRead,
  format: 'json' | 'jsonl',
  { range, cells = true }: { range?: LineRange | undefined; cells?: boolean } = {},
): AsyncGenerator<SourceItem[][]> {
  const plan = planJsonRead(read.config, read.file);
  if (!cells) plan.rawHeaders = [];
  const records =
    format === 'jsonl'
      ? readJsonLines(read.absPath, read.file, range)
      : readJsonDocument(read.absPath, read.file, read.config.records);
  for await (const chunk of records) {
    const out: SourceItem[][] = [];
    for (const record of chunk) {
      const items = itemsOfRecord(plan, read.file, record, read.nextSeq);
      if (items.length > 0) out.push(items);
    }
    if (out.length > 0) yield out;
  }
}
