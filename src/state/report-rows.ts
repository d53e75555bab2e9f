import type { StateStore } from './store.js';

/** One part in Help Scout, for mapping.csv. */
export interface MappingRow {
  source: string;
  part: number;
  hs: number;
  threads: number;
  first: string;
  last: string;
  note: string | null;
}

/** One rejected row as stored, for rejects.csv. */
export interface StoredReject {
  file: string;
  row: number;
  line: number;
  field: string;
  reason: string;
  raw_json: string;
  headers_json: string;
}

/** What the reports are written from: read from the state file when they are written. */
export interface ReportRows {
  mapping(): MappingRow[];
  rejects(): StoredReject[];
}

export function reportRowsOf(store: StateStore): ReportRows {
  return {
    mapping: () =>
      store
        .prepare(
          `SELECT p.conversation_key AS source, p.part_no AS part, p.hs_conversation_id AS hs,
                  count(t.id) AS threads, min(t.created_at) AS first, max(t.created_at) AS last, p.note AS note
           FROM parts p JOIN thread_parts tp ON tp.part_id = p.id JOIN threads t ON t.id = tp.thread_id AND t.state = 'done'
           WHERE p.hs_conversation_id IS NOT NULL
           GROUP BY p.id ORDER BY min(t.seq), p.part_no`,
        )
        .all() as MappingRow[],
    rejects: () => store.prepare('SELECT * FROM rejects ORDER BY seq').all() as StoredReject[],
  };
}
