import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { PresetName, SourceConfig, SourceFormat } from '../config/schema.js';
import { readCsvRecords } from './csv-file.js';
import { firstCharacter, readJsonDocument, readJsonLines } from './json/records.js';

/** The display name of each platform, for the message that names the preset chosen. */
export const PLATFORM_NAMES: Record<PresetName, string> = {
  tidio: 'Tidio',
  gorgias: 'Gorgias',
  'intercom-csv': 'Intercom (CSV)',
  zendesk: 'Zendesk',
  intercom: 'Intercom',
  freshdesk: 'Freshdesk',
  helpscout: 'Help Scout',
  groove: 'Groove',
};

/**
 * A file's format when the config says `auto`: a `From ` line opens an mbox; `[` a JSON document; `{` a
 * JSONL file when its first line is a whole JSON value (and `records` names no array inside it), else a JSON
 * document; anything else is CSV.
 */
export async function formatOf(config: SourceConfig, absPath: string, file: string): Promise<SourceFormat> {
  if (config.format !== 'auto') return config.format;
  const first = await firstCharacter(absPath).catch(() => '');
  if (first === 'F' && (await startsWithFromLine(absPath))) return 'mbox';
  if (first === '[') return 'json';
  if (first !== '{') return 'csv';
  // The records sit in an array inside one object: a document, even when written on one line.
  if (config.records !== undefined) return 'json';
  for await (const records of readJsonLines(absPath, file)) {
    return records[0]?.invalid === undefined ? 'jsonl' : 'json';
  }
  return 'jsonl';
}

/** An mbox starts with its first message's `From ` separator line. */
async function startsWithFromLine(absPath: string): Promise<boolean> {
  for await (const chunk of createReadStream(absPath, { encoding: 'latin1', start: 0, end: 1023 })) {
    return /^\s*From \S/.test(chunk as string);
  }
  return false;
}

function has(value: unknown, key: string): boolean {
  return value !== null && typeof value === 'object' && key in value;
}

/** The preset whose export has these record keys, if any. */
export function presetOfRecord(record: unknown): PresetName | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const r = record as Record<string, unknown>;
  const stream = r.stream;
  if (stream === 'conversations' || stream === 'conversation_parts') return 'intercom';
  const inner = has(r, 'record') ? (r.record as Record<string, unknown>) : r;
  if (inner?.type === 'conversation' || inner?.type === 'conversation_part') return 'intercom';
  if (has(r, 'comments') && (has(r, 'requester') || has(r, 'requester_id'))) return 'zendesk';
  if (has(r, '_embedded') && has(r._embedded, 'threads')) return 'helpscout';
  if (has(r, 'primaryCustomer')) return 'helpscout';
  if (has(r, 'actions') && (has(r, 'title') || has(r, 'state_int'))) return 'groove';
  if (has(r, 'description') && has(r, 'requester_id')) return 'freshdesk';
  if (has(r, 'ticket_id') && has(r, 'incoming') && has(r, 'private')) return 'freshdesk';
  return undefined;
}

/** The preset whose CSV export has this header, if any (compared case-insensitively). */
export function presetOfHeader(header: readonly string[]): PresetName | undefined {
  const names = new Set(header.map((h) => h.trim().toLowerCase()));
  const all = (...wanted: string[]) => wanted.every((name) => names.has(name));
  if (all('conversation_id', 'sender', 'message_content', 'time_sent')) return 'tidio';
  if (all('sender_info', 'body_text', 'sent_datetime')) return 'gorgias';
  if (all('message_author_type', 'message_created_at')) return 'intercom-csv';
  return undefined;
}

async function firstRecordOf(config: SourceConfig, absPath: string, file: string, format: SourceFormat) {
  if (format === 'csv') {
    for await (const records of readCsvRecords(absPath, file, config)) {
      const header = records[0]?.fields;
      if (header) return presetOfHeader(header);
    }
    return undefined;
  }
  const reader =
    format === 'jsonl' ? readJsonLines(absPath, file) : readJsonDocument(absPath, file, config.records);
  for await (const records of reader) {
    for (const record of records) if (record.invalid === undefined) return presetOfRecord(record.value);
  }
  return undefined;
}

/**
 * The config with its preset named: as given, or recognised from the first file's header or first record
 * (`recognised` then says which); with `format: auto` and an mbox first, the format `mbox`. A source given
 * its own `shapes` or `columns` is left as it is. An unreadable first file is left for the reader to report.
 */
export async function resolveSource(
  config: SourceConfig,
  baseDir: string,
): Promise<{ source: SourceConfig; recognised?: PresetName }> {
  const first = config.files[0];
  if (first === undefined) return { source: config };
  const absPath = path.resolve(baseDir, first);
  try {
    const format = await formatOf(config, absPath, first);
    // An mbox is read whole, all its files together: the format is settled here, once.
    if (format === 'mbox') return { source: { ...config, format } };
    if (config.preset !== undefined || config.shapes !== undefined) return { source: config };
    if (format === 'csv' && Object.keys(config.columns).length > 0) return { source: config };
    const preset = await firstRecordOf(config, absPath, first, format);
    return preset === undefined ? { source: config } : { source: { ...config, preset }, recognised: preset };
  } catch {
    return { source: config };
  }
}

/** What validate and import say when they chose the preset themselves. */
export function recognisedMessage(preset: PresetName): string {
  return `recognised a ${PLATFORM_NAMES[preset]} export; set source.preset to override`;
}
