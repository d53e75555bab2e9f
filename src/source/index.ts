export { mimeTypeOf } from './attachments.js';
export { REQUIRED_COLUMNS } from './column-map.js';
export { PRESET_DEFINITIONS } from './presets.js';
export { readSource, WHOLE_ROW_FIELD } from './read-source.js';
export { plainTextToHtml, repairMojibake } from './text.js';
export { isKnownTimeZone, parseTimestamp, type TimestampResult } from './timestamps.js';
export type { AttachmentRef, RejectedRow, RowPosition, SourceItem, ThreadRow } from './types.js';
