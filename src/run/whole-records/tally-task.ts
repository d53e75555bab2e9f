import type { RequestLimits } from '../../api/request-size.js';
import type { SourceConfig } from '../../config/schema.js';
import type { PlanOptions } from '../../plan/plan-conversation.js';
import type { TallyResult } from './record-tally.js';

/** One file, or one range of a JSONL file, for a tally thread. */
export interface TallyTask {
  config: SourceConfig;
  absPath: string;
  file: string;
  format: 'json' | 'jsonl';
  /** Bytes of a JSONL file, from a line's start (records.ts lineRanges); absent: the whole file. */
  range?: { start: number; end: number };
  options: PlanOptions;
  limits: RequestLimits;
}

/** A task's figures, numbered within it, and the lines and records its range held. */
export interface TaskResult extends TallyResult {
  lines: number;
  records: number;
}
