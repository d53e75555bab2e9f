import type { InlineThreadBody } from '../api/api-types.js';
import type { PartRecord, PartThread } from '../state/parts.js';
import { inlineThread } from './payload.js';
import { type SendContext, shapeOf } from './send-context.js';
import { prepareThreadFiles } from './thread-files.js';

/**
 * The threads that open the part's conversation, with their bodies. A thread failed by its files is left out
 * (reported, with the reason); when every planned one is, the next thread opens the conversation instead,
 * its files after it, so that one bad file never fails its siblings.
 */
export async function openingThreads(
  ctx: SendContext,
  part: PartRecord,
  threads: PartThread[],
): Promise<{ threads: PartThread[]; bodies: InlineThreadBody[] }> {
  const opening: PartThread[] = [];
  const bodies: InlineThreadBody[] = [];
  for (const t of threads) {
    if (t.state !== 'pending') continue;
    if (!t.inline) {
      if (opening.length > 0) break;
      const filesFollow = t.row.attachments.length > 0;
      ctx.parts.openWith(t.id, filesFollow);
      t.inline = true;
      t.attachmentsLater = filesFollow;
    }
    const files = await prepareThreadFiles(ctx, part, t, true);
    if (files === false) {
      t.state = 'failed';
      continue;
    }
    opening.push(t);
    bodies.push(inlineThread(t.row, shapeOf(ctx, t), part.envelope.customer, files.bodies));
  }
  return { threads: opening, bodies };
}
