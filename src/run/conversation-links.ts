import type { HelpScoutApi } from '../helpscout/client.js';
import { type ConversationLink, webUrlOf } from '../report/write-reports.js';

/**
 * Help Scout's number and web link of each conversation, one read each: asked for by `report --links` only,
 * since an import's creates answer with the id alone and a read per conversation would cost the migration a
 * third more of its budget. A conversation gone or merged gets no link.
 */
export async function readConversationLinks(
  client: Pick<HelpScoutApi, 'getConversation'>,
  ids: Iterable<number>,
): Promise<Map<number, ConversationLink>> {
  const links = new Map<number, ConversationLink>();
  for (const id of new Set(ids)) {
    const found = await client.getConversation(id);
    if (found.kind !== 'found' || found.conversation.number === undefined) continue;
    const { number } = found.conversation;
    links.set(id, { number, url: found.conversation._links?.web?.href ?? webUrlOf(id, number) });
  }
  return links;
}
