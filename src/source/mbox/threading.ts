/** The headers that place a message in a conversation. */
export interface ThreadHeaders {
  /** Gmail's thread id (`X-GM-THRID`, in every message of a Google Takeout). */
  gmailThreadId?: string | undefined;
  messageId?: string | undefined;
  /** `References` ids, oldest (the root) first. */
  references: string[];
  inReplyTo?: string | undefined;
}

const MESSAGE_ID = /<([^<>\s]+)>/g;

/** The ids written `<id>` in a header; `In-Reply-To` may carry trailing words ("; from x on …"). */
export function messageIdsIn(value: string | undefined): string[] {
  if (value === undefined) return [];
  return Array.from(value.matchAll(MESSAGE_ID), (match) => match[1] as string);
}

/** A `Message-ID` without its brackets; a bare id is taken as written. */
export function messageIdOf(value: string | undefined): string | undefined {
  const [id] = messageIdsIn(value);
  if (id !== undefined) return id;
  const bare = value?.trim();
  return bare ? bare : undefined;
}

/**
 * Groups messages into conversations while they stream by. Gmail's thread id wins where present. Otherwise a
 * reply joins the conversation of the first message it names (References root first, then In-Reply-To) that
 * has been seen; if none has, the root it names (a message not in the file, or later in it) is the key, so a
 * reply and its root meet whatever their order. Only a reply that names its parent alone (no References), read
 * before that parent, can end up apart: a single pass cannot know what the parent will name.
 */
export class ConversationKeys {
  /** Message-ID → conversation key: the only state, one entry per message with an id. */
  private readonly keyOf = new Map<string, string>();

  /** The conversation of a message; `fallback` for a message that names none (no ids at all). */
  assign(headers: ThreadHeaders, fallback: string): string {
    const key = this.keyFor(headers, fallback);
    if (headers.messageId !== undefined && !this.keyOf.has(headers.messageId)) {
      this.keyOf.set(headers.messageId, key);
    }
    return key;
  }

  /** Whether a message with this id has been seen already (the same message twice in the file). */
  has(messageId: string): boolean {
    return this.keyOf.has(messageId);
  }

  private keyFor(headers: ThreadHeaders, fallback: string): string {
    if (headers.gmailThreadId) return `gmail-thread:${headers.gmailThreadId}`;
    const named =
      headers.inReplyTo === undefined ? headers.references : [...headers.references, headers.inReplyTo];
    for (const id of named) {
      const known = this.keyOf.get(id);
      if (known !== undefined) return known;
    }
    const root = named[0] ?? headers.messageId;
    return root === undefined ? fallback : `message:${root}`;
  }
}
