/**
 * The state file's tables. One SQLite file holds the staged rows, the plan and the ledger of every write,
 * so a run killed at any moment resumes from exactly what is recorded.
 */
export const SCHEMA_VERSION = 5;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Every run: when, by whom, and how it ended.
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  pid INTEGER NOT NULL,
  command TEXT NOT NULL,
  exit_code INTEGER,
  stats_json TEXT
);

-- One row per valid source message. (base_key, occurrence) identifies it across reruns: the source thread id,
-- else its conversation, second and role, and its rank among the messages of that second and role (never its
-- text, which a re-export may repair or re-render: identity-migration.ts). One insert per row while staging: what planning
-- reads comes first, the message last (a second table for it costs an insert more per row).
CREATE TABLE IF NOT EXISTS threads (
  id INTEGER PRIMARY KEY,
  base_key TEXT NOT NULL,
  occurrence INTEGER NOT NULL,
  conversation_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  source_thread_id TEXT,
  bytes INTEGER NOT NULL,
  -- The conversation-level fields the row carries (customer, subject, tags, status), NULL when none: what
  -- planning reads of a row besides its date and size.
  profile_json TEXT,
  -- The author's email, lowercased, when the message is an agent's reply or note: a Help Scout user to find.
  agent_email TEXT,
  seen_run INTEGER NOT NULL,
  -- OR rather than IN: SQLite builds a table for an IN list at every run of a statement, which made a third
  -- of the cost of staging a row (files created before check the same values with IN).
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'done' OR state = 'failed'),
  hs_thread_id INTEGER,
  error TEXT,
  -- The normalised row, less what the columns above hold (row-body.ts), read when the thread is sent.
  row_json TEXT NOT NULL,
  -- The cells as read (values in header order), kept only while no row of its conversation read so far names
  -- the customer: only a conversation that names none can be rejected after staging (RawCellsKeeper).
  raw_json TEXT
);

-- Which part a planned thread is in, and its place there. A table of its own so that planning appends narrow
-- rows, in thread order, rather than rewriting every thread's row. A thread not in it is not planned yet.
CREATE TABLE IF NOT EXISTS thread_parts (
  thread_id INTEGER PRIMARY KEY,
  part_id INTEGER NOT NULL,
  part_index INTEGER NOT NULL,
  inline INTEGER NOT NULL DEFAULT 0,
  -- 1: sent inline without its attachments (too large for Create Conversation); they follow one by one.
  attachments_later INTEGER NOT NULL DEFAULT 0
);

-- A part is one Help Scout conversation; a source conversation over the thread cap has several.
CREATE TABLE IF NOT EXISTS parts (
  id INTEGER PRIMARY KEY,
  conversation_key TEXT NOT NULL,
  part_no INTEGER NOT NULL,
  subject TEXT NOT NULL,
  envelope_json TEXT NOT NULL,
  hs_conversation_id INTEGER,
  note TEXT,
  UNIQUE (conversation_key, part_no)
);

-- The write log, appended to and never rewritten: an intent row is committed before each write is sent, its
-- outcome right after. outcome NULL = sent, answer not recorded (process died): in doubt, like 'in-doubt' (answer
-- lost); only those two are ever given another outcome, once, by reading back. 'find-thread' is a read that
-- changed a thread (its id found, or the thread failed); 'delete-conversation' a rollback of its part.
CREATE TABLE IF NOT EXISTS writes (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  part_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('create-conversation', 'create-thread', 'create-attachment',
                                     'find-thread', 'delete-conversation')),
  thread_ids TEXT NOT NULL,
  hs_conversation_id INTEGER,
  intent_at TEXT NOT NULL,
  outcome TEXT CHECK (outcome IN ('ok', 'failed', 'in-doubt', 'not-created', 'found', 'not-found', 'deleted')),
  http_status INTEGER,
  resource_id INTEGER,
  error TEXT,
  finished_at TEXT,
  resolution TEXT
);
CREATE INDEX IF NOT EXISTS writes_by_part ON writes (part_id);
CREATE INDEX IF NOT EXISTS writes_open ON writes (outcome);
-- Rollbacks, few: what live_writes looks up for every write it reads.
CREATE INDEX IF NOT EXISTS writes_deletions ON writes (part_id, id) WHERE kind = 'delete-conversation';

-- The writes that still stand: a part's writes up to its last rollback (its conversation deleted) are history,
-- and the part is planned and sent again as if they had never been. A new part never takes an id the log
-- names (NEXT_PART_ID_SQL); in older files, the writes after a rollback are the new part's.
CREATE VIEW IF NOT EXISTS live_writes AS
  SELECT * FROM writes w WHERE NOT EXISTS (
    SELECT 1 FROM writes d WHERE d.part_id = w.part_id AND d.kind = 'delete-conversation'
      AND d.outcome = 'deleted' AND d.id >= w.id);

-- Rows of the current export that can't be imported. Rebuilt by every staging.
CREATE TABLE IF NOT EXISTS rejects (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,
  row INTEGER NOT NULL,
  line INTEGER NOT NULL,
  field TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw_json TEXT NOT NULL,
  headers_json TEXT NOT NULL
);

-- Threads already sent (or planned) that this reading found with other text: never sent again, reported
-- (changed.csv). Rebuilt by every staging.
CREATE TABLE IF NOT EXISTS changed_threads (
  thread_id INTEGER PRIMARY KEY,
  text TEXT NOT NULL
);

-- Help Scout users found by email, so a rerun does not look them up again. user_id NULL = no such user.
CREATE TABLE IF NOT EXISTS users (
  email TEXT PRIMARY KEY,
  user_id INTEGER
);

-- Customer ids a read found in Help Scout, so a rerun does not read them again. Only found ones: an id not
-- found is read again by the next run, since the customer may have been made meanwhile.
CREATE TABLE IF NOT EXISTS customers (
  customer_id INTEGER PRIMARY KEY
);
`;

/**
 * The indexes on threads and thread_parts, apart from the schema: the first staging into a state file drops two
 * of them for its appends, and a large planning the parts index for its own (an index built by one sort
 * afterwards costs a fraction of one kept up row by row). The identity
 * index serves only to match the rows of a later staging with those already staged: the first staging does
 * without it (identical messages go in unranked) and the next one builds it (see ensureIdentityIndex).
 */
export const THREAD_IDENTITY_INDEX_SQL =
  'CREATE UNIQUE INDEX IF NOT EXISTS threads_identity ON threads (base_key, occurrence);';

/** What planning walks the threads by; the first staging builds it after its appends, with one sort. */
export const THREAD_CONVERSATION_INDEX_SQL =
  'CREATE INDEX IF NOT EXISTS threads_by_conversation ON threads (conversation_key, seen_run);';

/** A part's threads in order; a large planning builds it after its appends (PartAssignments). */
export const THREAD_PARTS_INDEX_SQL =
  'CREATE INDEX IF NOT EXISTS thread_parts_by_part ON thread_parts (part_id, part_index);';

export const THREAD_INDEXES_SQL = `${THREAD_IDENTITY_INDEX_SQL}
${THREAD_CONVERSATION_INDEX_SQL}
${THREAD_PARTS_INDEX_SQL}
-- The threads sent or failed: few while the plan is counted, so what is left is counted without reading every row.
CREATE INDEX IF NOT EXISTS threads_settled ON threads (id) WHERE state <> 'pending';
`;

/** The columns of threads that versions 1 and 2 had too, carried over as they are. */
const KEPT_COLUMNS = `id, base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes,
  profile_json, seen_run, state, hs_thread_id, error`;

/** The part columns of threads in versions 1 and 2, carried over to thread_parts. */
const PART_COLUMNS = 'part_id, part_index, inline, attachments_later';

/**
 * From version 1 (one wide threads table) to 3: the same rows, with the author to look up as a column and the
 * part assignments apart.
 */
export const MIGRATE_1_TO_3_SQL = `
ALTER TABLE threads RENAME TO threads_v1;
DROP INDEX IF EXISTS threads_by_conversation;
DROP INDEX IF EXISTS threads_by_part;
${SCHEMA_SQL}
INSERT INTO threads (${KEPT_COLUMNS}, agent_email, row_json, raw_json)
  SELECT ${KEPT_COLUMNS},
         CASE WHEN json_extract(row_json, '$.role') IN ('agent', 'note')
              THEN lower(json_extract(row_json, '$.authorEmail')) END,
         row_json, raw_json
  FROM threads_v1 ORDER BY id;
INSERT INTO thread_parts (thread_id, ${PART_COLUMNS})
  SELECT id, ${PART_COLUMNS} FROM threads_v1 WHERE part_id IS NOT NULL;
DROP TABLE threads_v1;
`;

/** From version 2 (messages in thread_bodies, part columns in threads) to 3: the same rows, laid out anew. */
export const MIGRATE_2_TO_3_SQL = `
ALTER TABLE threads RENAME TO threads_v2;
DROP INDEX IF EXISTS threads_identity;
DROP INDEX IF EXISTS threads_by_conversation;
DROP INDEX IF EXISTS threads_by_part;
${SCHEMA_SQL}
INSERT INTO threads (${KEPT_COLUMNS}, agent_email, row_json, raw_json)
  SELECT ${KEPT_COLUMNS.replaceAll(/(\w+)/g, 't.$1')}, t.agent_email, b.row_json, b.raw_json
  FROM threads_v2 t JOIN thread_bodies b ON b.thread_id = t.id ORDER BY t.id;
INSERT INTO thread_parts (thread_id, ${PART_COLUMNS})
  SELECT id, ${PART_COLUMNS} FROM threads_v2 WHERE part_id IS NOT NULL;
DROP TABLE threads_v2;
DROP TABLE thread_bodies;
`;

/** The columns of writes in version 3, all carried over. */
const WRITE_COLUMNS = `id, run_id, part_id, kind, thread_ids, hs_conversation_id, intent_at, outcome, http_status,
  resource_id, error, finished_at, resolution`;

/**
 * From version 3 to 4: the writes table admits reads and rollbacks (its CHECKs), with every row as it was. The
 * view goes first: renaming a table rewrites the views that name it.
 */
export const MIGRATE_3_TO_4_SQL = `
DROP VIEW IF EXISTS live_writes;
ALTER TABLE writes RENAME TO writes_v3;
DROP INDEX IF EXISTS writes_by_part;
DROP INDEX IF EXISTS writes_open;
DROP INDEX IF EXISTS writes_deletions;
${SCHEMA_SQL}
INSERT INTO writes (${WRITE_COLUMNS}) SELECT ${WRITE_COLUMNS} FROM writes_v3 ORDER BY id;
DROP TABLE writes_v3;
`;
