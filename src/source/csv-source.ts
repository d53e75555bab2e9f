import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SourceConfig } from '../config/schema.js';
import { rawCells, restoreCell } from '../util/cells.js';
import { FatalError } from '../util/errors.js';
import {
  isFileUrl,
  resolveAttachment,
  splitList,
  type UrlFiles,
  urlAttachment,
  urlFilesOf,
} from './attachments.js';
import { type BoundColumns, bindHeader, checkHeader, resolveMapping } from './column-map.js';
import type { CsvReadOptions, CsvRecord } from './csv-file.js';
import type { FieldProblem, RowValues } from './customer.js';
import { resolveDateRange } from './date-range.js';
import { customerFillOf, rulesOf } from './fed-back.js';
import { isCsvPreset, PRESET_DEFINITIONS, type Preset } from './presets.js';
import { createAgentMatcher, createRoleResolver } from './roles.js';
import { buildRow, type RowRules } from './row-builder.js';
import { cellProblem, repairMojibake } from './text.js';
import { isKnownTimeZone } from './timestamps.js';
import type { AttachmentRef, RowPosition, SourceItem, ThreadRow } from './types.js';
import { noRows, sizeProblem } from './whole-problems.js';

/** `field` of a reject about the whole record (wrong number of fields) rather than one column. */
export const WHOLE_ROW_FIELD = '(row)';

export interface ReadPlan {
  preset: Preset | undefined;
  mapping: ReturnType<typeof resolveMapping>;
  rules: RowRules;
  isAgentAddress: (email: string | undefined) => boolean;
  hasAgentAddresses: boolean;
  clean: (cell: string) => string;
  encoding: SourceConfig['encoding'];
  /** `source.attachments`: files named by URL are kept, to be downloaded at send time. */
  urlFiles: UrlFiles;
}

/** Everything about the config that can be checked before a byte is read; problems here are run-fatal. */
export function planRead(config: SourceConfig, now: number): ReadPlan {
  if (config.files.length === 0) {
    throw new FatalError('SOURCE_BAD_CONFIG', 'source.files is empty: there is nothing to import');
  }
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
    config.preset !== undefined && isCsvPreset(config.preset) ? PRESET_DEFINITIONS[config.preset] : undefined;
  const agentAddresses = config.agentAddresses ?? [];
  if (
    preset?.needsAgentAddresses &&
    agentAddresses.length === 0 &&
    config.columns.author_role === undefined
  ) {
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `the ${config.preset} export has no role column: list the agents' emails (or "@yourdomain") in source.agentAddresses`,
      { preset: config.preset },
    );
  }
  const matcher = createAgentMatcher(agentAddresses);
  const dateRange = resolveDateRange(config.dateRange, now);
  if ('bad' in dateRange) {
    throw new FatalError(
      'SOURCE_BAD_CONFIG',
      `source.dateRange ${dateRange.bad} is not a date (e.g. 1970-01-01)`,
    );
  }
  return {
    preset,
    mapping: resolveMapping(config.columns, preset),
    rules: {
      timezone: config.timezone,
      textFormat: config.textFormat,
      dateRange,
      resolveRole: createRoleResolver({ ...preset?.roles, ...config.roles }),
    },
    isAgentAddress: matcher ?? (() => false),
    hasAgentAddresses: matcher !== null,
    encoding: config.encoding,
    urlFiles: urlFilesOf(config.attachments),
    clean: config.repairMojibake ? (cell) => repairMojibake(cell).trim() : (cell) => cell.trim(),
  };
}

function readValues(
  plan: ReadPlan,
  bound: BoundColumns,
  fields: string[],
): { values: RowValues } | FieldProblem {
  const values: RowValues = {};
  for (const [column, index] of bound.canonical) {
    const cell = fields[index];
    if (cell === undefined || cell === '') continue;
    const value = plan.clean(cell);
    if (value !== '') values[column] = value;
  }
  if (plan.preset?.derive) {
    const problem = plan.preset.derive(values, {
      extra: (header) => {
        const index = bound.extra.get(header);
        const cell = index === undefined ? undefined : fields[index];
        const value = cell === undefined ? '' : plan.clean(cell);
        return value === '' ? undefined : value;
      },
      isAgentAddress: plan.isAgentAddress,
    });
    if (problem) return problem;
  }
  // No role column at all: the agents are known by address.
  if (values.author_role === undefined && plan.hasAgentAddresses && !bound.has('author_role')) {
    values.author_role = plan.isAgentAddress(values.author_email) ? 'agent' : 'customer';
  }
  return { values };
}

async function readAttachments(
  folder: string,
  cell: string,
  urls: UrlFiles,
): Promise<AttachmentRef[] | FieldProblem> {
  const refs: AttachmentRef[] = [];
  for (const relPath of splitList(cell)) {
    const ref = isFileUrl(relPath) ? urlAttachment(relPath, urls) : await resolveAttachment(folder, relPath);
    if (!('path' in ref)) return ref;
    refs.push(ref);
  }
  return refs;
}

/** What parses a CSV file into records: readCsvRecords here, or readCsvRecordsInWorker in a thread of its own. */
export type CsvRecordReader = (
  absPath: string,
  file: string,
  options: CsvReadOptions,
) => AsyncIterable<CsvRecord[]>;

/** One CSV file's records as rows or rejects, as arrays of the records parsed together. */
export async function* readCsvFile(
  plan: ReadPlan,
  config: SourceConfig,
  file: { absPath: string; file: string },
  readRecords: CsvRecordReader,
  nextSeq: () => number,
): AsyncGenerator<SourceItem[]> {
  let bound: BoundColumns | undefined;
  let folder = '';
  let row = 0;
  for await (const records of readRecords(file.absPath, file.file, config)) {
    const items: SourceItem[] = [];
    for (const record of records) {
      if (bound === undefined) {
        // Lines of blanks before any header (a lone CR, spaces) are no header: the file may have no rows.
        if (record.fields.every((field) => field.trim() === '')) continue;
        checkHeader(record.fields, file.file, config.delimiter);
        bound = bindHeader(
          record.fields,
          plan.mapping,
          config.columns,
          plan.preset?.extraColumns ?? [],
          file.file,
        );
        folder = await realpath(path.dirname(file.absPath));
        continue;
      }
      row += 1;
      const pos = { file: file.file, row, line: record.line, seq: nextSeq() };
      const item = readItem(plan, bound, folder, record, pos);
      items.push(item instanceof Promise ? await item : item);
    }
    if (items.length > 0) yield items;
  }
  // An empty file (or one of a BOM, or a header only) is surely not the export meant: say so.
  if (row === 0) yield [noRows(file.file, bound, nextSeq())];
}

/** One record as a row or a reject. Awaits only for attachments, which are looked up on disk. */
function readItem(
  plan: ReadPlan,
  bound: BoundColumns,
  folder: string,
  record: CsvRecord,
  pos: RowPosition,
): SourceItem | Promise<SourceItem> {
  const { headers } = bound;
  if (bound.isReport) record.fields = record.fields.map(restoreCell);
  const raw = rawCells(headers, record.fields);
  const reject = (problem: FieldProblem): SourceItem => {
    const fill = customerFillOf(plan, bound, record.fields);
    return { kind: 'reject', reject: { pos, ...problem, raw, headers, ...(fill && { customerFill: fill }) } };
  };
  if (record.fields.length !== headers.length) {
    return reject({
      field: WHOLE_ROW_FIELD,
      reason:
        `row ${pos.row} (line ${record.line}) has ${record.fields.length} fields for ${headers.length} columns` +
        (record.fields.length > headers.length ? ': an unquoted delimiter in a value?' : ''),
    });
  }
  for (let i = 0; i < record.fields.length; i++) {
    const problem = cellProblem(record.fields[i] as string, plan.encoding);
    if (problem !== undefined) return reject({ field: fieldName(bound, i), reason: problem });
  }
  const values = readValues(plan, bound, record.fields);
  if (!('values' in values)) return reject(values);
  const core = buildRow(values.values, rulesOf(plan, bound, record.fields));
  if ('reason' in core) return reject(core);
  const withFiles = (attachments: AttachmentRef[]): SourceItem => {
    // The core completed in place: a copy per row is measurable on a large export.
    const row = core as ThreadRow;
    row.pos = pos;
    row.attachments = attachments;
    row.raw = raw;
    const problem = sizeProblem(row);
    return problem ? reject(problem) : { kind: 'row', row };
  };
  const cell = values.values.attachments;
  if (cell === undefined) return withFiles([]);
  return readAttachments(folder, cell, plan.urlFiles).then((attachments) =>
    Array.isArray(attachments) ? withFiles(attachments) : reject(attachments),
  );
}

/** The canonical column a cell is read as, else its header. */
function fieldName(bound: BoundColumns, index: number): string {
  for (const [column, at] of bound.canonical) if (at === index) return column;
  return bound.headers[index] ?? `(field ${index + 1})`;
}
