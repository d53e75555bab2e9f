import { ApiError } from '../helpscout/errors.js';
import type { Parts } from '../state/parts.js';
import type { WriteLog } from '../state/write-log.js';

/**
 * Deletes the conversations of these parts, each a write of its own in the log: the parts' earlier writes
 * stay there as history (live_writes no longer counts them), their threads are pending again and the parts
 * are planned and sent anew by the next import, as if never sent. Returns how many were deleted.
 */
export async function rollBackParts(
  api: { deleteConversation(id: number): Promise<void> },
  writes: WriteLog,
  repo: Parts,
  parts: readonly { id: number; hs: number }[],
): Promise<number> {
  let deleted = 0;
  for (const part of parts) {
    const writeId = writes.intent(part.id, 'delete-conversation', [], part.hs);
    let resolution: string | undefined;
    try {
      await api.deleteConversation(part.hs);
    } catch (error) {
      // Already gone is as good as deleted.
      if (error instanceof ApiError && error.status === 404) resolution = 'already gone';
      else {
        writes.finish(
          writeId,
          error instanceof ApiError
            ? { kind: 'refused', status: error.status, error: error.message }
            : { kind: 'in-doubt', reason: (error as Error).message },
        );
        throw error;
      }
    }
    writes.finish(writeId, { kind: 'deleted', resolution }, () => repo.rolledBack(part.id));
    deleted += 1;
  }
  return deleted;
}
