/**
 * The state file's tables. One SQLite file holds the staged rows, the plan and the ledger of every write,
 * so a run killed at any moment resumes from exactly what is recorded.
 */
export const SCHEMA_VERSION = 2;

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
-- else a content hash, and its rank among identical messages. Kept narrow (what planning and the ledger
-- read and update); the message itself is in thread_bodies.
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
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  part_id INTEGER,
  part_index INTEGER,
  inline INTEGER NOT NULL DEFAULT 0,
  -- 1: sent inline without its attachments (too large for Create Conversation); they follow one by one.
  attachments_later INTEGER NOT NULL DEFAULT 0,
  hs_thread_id INTEGER,
  error TEXT
);

-- The normalised row (ThreadRow without raw), read when the thread is sent, and its cells as read (values in
-- header order), kept only for a row that names no customer: only such rows can be rejected after staging.
CREATE TABLE IF NOT EXISTS thread_bodies (
  thread_id INTEGER PRIMARY KEY,
  row_json TEXT NOT NULL,
  raw_json TEXT
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

-- The ledger: an intent row is committed before each write is sent, its outcome right after.
-- outcome NULL = sent, answer not recorded (process died): in doubt, like 'in-doubt' (answer lost).
CREATE TABLE IF NOT EXISTS writes (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL,
  part_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('create-conversation', 'create-thread', 'create-attachment')),
  thread_ids TEXT NOT NULL,
  hs_conversation_id INTEGER,
  intent_at TEXT NOT NULL,
  outcome TEXT CHECK (outcome IN ('ok', 'failed', 'in-doubt', 'not-created')),
  http_status INTEGER,
  resource_id INTEGER,
  error TEXT,
  finished_at TEXT,
  resolution TEXT
);
CREATE INDEX IF NOT EXISTS writes_by_part ON writes (part_id);
CREATE INDEX IF NOT EXISTS writes_open ON writes (outcome);

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

-- Help Scout users found by email, so a rerun does not look them up again. user_id NULL = no such user.
CREATE TABLE IF NOT EXISTS users (
  email TEXT PRIMARY KEY,
  user_id INTEGER
);
`;

/**
 * The indexes on threads, apart from the schema. The identity index serves only to match the rows of a later
 * staging with those already staged: the first staging into a state file does without it (identical messages
 * go in unranked) and the next one builds it, with one sort (see ensureIdentityIndex).
 */
export const THREAD_IDENTITY_INDEX_SQL =
  'CREATE UNIQUE INDEX IF NOT EXISTS threads_identity ON threads (base_key, occurrence);';

export const THREAD_INDEXES_SQL = `${THREAD_IDENTITY_INDEX_SQL}
CREATE INDEX IF NOT EXISTS threads_by_conversation ON threads (conversation_key, seen_run);
CREATE INDEX IF NOT EXISTS threads_by_part ON threads (part_id, part_index) WHERE part_id IS NOT NULL;
`;

/** From version 1 (messages stored in threads itself) to 2: the same rows, their bodies apart. */
export const MIGRATE_1_TO_2_SQL = `
ALTER TABLE threads RENAME TO threads_v1;
${SCHEMA_SQL}
INSERT INTO threads (id, base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes,
                     profile_json, agent_email, seen_run, state, part_id, part_index, inline, attachments_later,
                     hs_thread_id, error)
  SELECT id, base_key, occurrence, conversation_key, seq, created_at, source_thread_id, bytes, profile_json,
         CASE WHEN json_extract(row_json, '$.role') IN ('agent', 'note')
              THEN lower(json_extract(row_json, '$.authorEmail')) END,
         seen_run, state, part_id, part_index, inline, attachments_later, hs_thread_id, error
  FROM threads_v1;
INSERT INTO thread_bodies (thread_id, row_json, raw_json) SELECT id, row_json, raw_json FROM threads_v1;
DROP TABLE threads_v1;
`;
