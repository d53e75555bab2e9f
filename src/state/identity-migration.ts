/**
 * From version 4 to 5: a message without a source thread id is no longer known by a hash of its text, but by
 * its conversation, second and role, and its rank among the messages of that second and role (prepare-row.ts).
 * The keys of the rows already staged are recomputed the same way, and ranked by their place in the last
 * reading, so the next reading of the same export finds every one of them again, whatever its text has become.
 * The identity index is rebuilt after (StateStore.migrate).
 */
export const MIGRATE_4_TO_5_SQL = `
DROP INDEX IF EXISTS threads_identity;
-- A row without a role (none was ever written so) keeps its key: NULL || anything is NULL.
UPDATE threads SET base_key = coalesce(conversation_key || char(31) || 't:' || created_at || char(31) ||
  CASE WHEN json_type(row_json) = 'array' THEN json_extract(row_json, '$[3]') ELSE json_extract(row_json, '$.role') END,
  base_key)
WHERE source_thread_id IS NULL;
UPDATE threads SET occurrence = ranked.n
FROM (SELECT id, row_number() OVER (PARTITION BY base_key ORDER BY seq, id) AS n FROM threads) AS ranked
WHERE ranked.id = threads.id AND threads.occurrence <> ranked.n;
`;
