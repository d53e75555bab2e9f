import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SourceConfig } from '../config/schema.js';
import { FatalError } from '../util/errors.js';
import { resolveAttachment, splitList } from './attachments.js';
import { type BoundColumns, bindHeader, resolveMapping } from './column-map.js';
import { readCsvRecords } from './csv-file.js';
import type { FieldProblem, RowValues } from './customer.js';
import { PRESET_DEFINITIONS, type Preset } from './presets.js';
import { createAgentMatcher, createRoleResolver } from './roles.js';
import { buildRow, type RowRules } from './row-builder.js';
import { repairMojibake } from './text.js';
import { isKnownTimeZone } from './timestamps.js';
import type { AttachmentRef, RowPosition, SourceItem } from './types.js';

/** `field` of a reject about the whole record (wrong number of fields) rather than one column. */
export const WHOLE_ROW_FIELD = '(row)';

interface ReadPlan {
  preset: Preset | undefined;
  mapping: ReturnType<typeof resolveMapping>;
  rules: RowRules;
  isAgentAddress: (email: string | undefined) => boolean;
  hasAgentAddresses: boolean;
  clean: (cell: string) => string;
}

/** Everything about the config that can be checked before a byte is read; problems here are run-fatal. */
function planRead(config: SourceConfig): ReadPlan {
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
  const preset = config.preset === undefined ? undefined : PRESET_DEFINITIONS[config.preset];
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
  return {
    preset,
    mapping: resolveMapping(config.columns, preset),
    rules: {
      timezone: config.timezone,
      textFormat: config.textFormat,
      resolveRole: createRoleResolver({ ...preset?.roles, ...config.roles }),
    },
    isAgentAddress: matcher ?? (() => false),
    hasAgentAddresses: matcher !== null,
    clean: config.repairMojibake ? (cell) => repairMojibake(cell).trim() : (cell) => cell.trim(),
  };
}

function rawCells(headers: string[], fields: string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < headers.length; i++) raw[headers[i] as string] = fields[i] ?? '';
  for (let i = headers.length; i < fields.length; i++) raw[`(field ${i + 1})`] = fields[i] as string;
  return raw;
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
  cell: string | undefined,
): Promise<AttachmentRef[] | FieldProblem> {
  if (cell === undefined) return [];
  const refs: AttachmentRef[] = [];
  for (const relPath of splitList(cell)) {
    const ref = await resolveAttachment(folder, relPath);
    if (!('path' in ref)) return ref;
    refs.push(ref);
  }
  return refs;
}

/**
 * Streams every record of every file (in the order given) as a valid ThreadRow or a RejectedRow. Throws
 * FatalError (SOURCE_FILE_UNREADABLE, SOURCE_MISSING_COLUMN, SOURCE_BAD_CONFIG, SOURCE_CSV_MALFORMED) for
 * run-fatal problems.
 */
export async function* readSource(
  config: SourceConfig,
  options: { baseDir: string },
): AsyncGenerator<SourceItem> {
  const plan = planRead(config);
  let seq = 0;
  for (const file of config.files) {
    const absPath = path.resolve(options.baseDir, file);
    let bound: BoundColumns | undefined;
    let folder: string | undefined;
    let row = 0;
    for await (const record of readCsvRecords(absPath, file, config)) {
      if (bound === undefined) {
        bound = bindHeader(
          record.fields,
          plan.mapping,
          config.columns,
          plan.preset?.extraColumns ?? [],
          file,
        );
        folder = await realpath(path.dirname(absPath));
        continue;
      }
      row += 1;
      const pos: RowPosition = { file, row, line: record.line, seq: seq++ };
      const { headers } = bound;
      const raw = rawCells(headers, record.fields);
      const reject = (problem: FieldProblem): SourceItem => ({
        kind: 'reject',
        reject: { pos, ...problem, raw, headers },
      });
      if (record.fields.length !== headers.length) {
        yield reject({
          field: WHOLE_ROW_FIELD,
          reason:
            `row ${row} (line ${record.line}) has ${record.fields.length} fields for ${headers.length} columns` +
            (record.fields.length > headers.length ? ': an unquoted delimiter in a value?' : ''),
        });
        continue;
      }
      const values = readValues(plan, bound, record.fields);
      if (!('values' in values)) {
        yield reject(values);
        continue;
      }
      const core = buildRow(values.values, plan.rules);
      if ('reason' in core) {
        yield reject(core);
        continue;
      }
      const attachments = await readAttachments(folder as string, values.values.attachments);
      if (!Array.isArray(attachments)) {
        yield reject(attachments);
        continue;
      }
      yield { kind: 'row', row: { pos, ...core, attachments, raw } };
    }
  }
}
