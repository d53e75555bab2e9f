import type { ConversationStatus, CustomerRef } from '../api/api-types.js';
import type { AuthorRole } from '../config/schema.js';
import type { CustomerColumn } from './customer.js';

/** Where a row stands in the export: enough for a person to find it and fix it. */
export interface RowPosition {
  /** The CSV file as given in the config (relative to the config's folder, or absolute). */
  file: string;
  /** 1-based data record number within the file; the header is not counted. */
  row: number;
  /** 1-based line of the file on which the record starts (quoted newlines make it differ from row + 1). */
  line: number;
  /** 0-based position of the record in the whole export (files in the order given): the last tie-break. */
  seq: number;
}

/**
 * A file the message carries: on disk, checked to exist inside the CSV's folder, or named by URL (downloaded
 * at send time with `source.attachments.fetch`). Its bytes are read, and checked again, at send time.
 */
export interface AttachmentRef {
  /** Absolute path, proven to be inside `root` at staging; '' for a file named by URL. */
  path: string;
  /** As written in the export (relative to the CSV's folder), or the URL. */
  relPath: string;
  fileName: string;
  mimeType: string;
  /** Bytes at staging; for a URL, the most a downloaded file may have (its size is known only then). */
  size: number;
  /** The folder the file must stay inside when it is read (a realpath); absent in older state files. */
  root?: string;
  /** The file is downloaded from here when its thread is sent. */
  url?: string;
  /**
   * Why the file could not be downloaded, when the thread went (or goes) with a link to it in its text
   * instead (`source.attachments.onMissing: link`): decided once, before the thread's first write.
   */
  linked?: string;
}

/** One valid message of the export, normalised to what the API accepts. */
export interface ThreadRow {
  pos: RowPosition;
  conversationId: string;
  /** The source's message id, when the export has one (and it is not constant). */
  threadId?: string;
  /** UTC, `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
  createdAt: string;
  /** HTML as the API takes it: plain text is escaped and its line breaks are `<br>`. */
  text: string;
  role: AuthorRole;
  authorEmail?: string;
  authorName?: string;
  /** The customer fields found on this row (possibly none: the conversation's other rows may carry them). */
  customer: CustomerRef;
  subject?: string;
  tags: string[];
  status?: ConversationStatus;
  attachments: AttachmentRef[];
  /** The row as read, header → value, for rejects.csv should a later stage reject it. */
  raw: Record<string, string>;
}

/** A row that can't be imported, with the reason. */
export interface RejectedRow {
  pos: RowPosition;
  /** Canonical column (or the source header when no canonical name applies) that is at fault. */
  field: string;
  reason: string;
  /** The row as read, header → value. */
  raw: Record<string, string>;
  /** Header order of the row's file, so rejects.csv can be fed back as a source. */
  headers: string[];
  /**
   * The row's conversation and the headers its customer's columns are read under, when its cells stand under
   * the right headers: staging fills the empty ones from the conversation's other rows, so that the row, fixed
   * and fed back, names its customer.
   */
  customerFill?: CustomerFill;
}

export interface CustomerFill {
  conversationId: string;
  /** Canonical customer column → the header it is read under (headers the row lacks are added). */
  headers: Partial<Record<CustomerColumn, string>>;
}

/** A valid row without its raw cells: what staging keeps of it, and what is sent. */
export type StagedRow = Omit<ThreadRow, 'raw'>;

export type SourceItem = { kind: 'row'; row: ThreadRow } | { kind: 'reject'; reject: RejectedRow };

/**
 * The cell of a rejected row whose text is HTML where the source's text is otherwise plain (a JSON shape's
 * HTML body): a rejects.csv fed back reads that row's text as HTML.
 */
export const TEXT_FORMAT_CELL = 'text_format';
