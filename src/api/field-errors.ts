/** One field error of Help Scout's vnd.error body (`_embedded.errors[]`). */
export interface FieldError {
  path?: string;
  message?: string;
  rejectedValue?: unknown;
}

/** A path as Help Scout writes it: `customer.email`, `threads[3].attachments[0].data`. */
const PATH = String.raw`[A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*`;

/** The field errors as an error message carries them: `path: message; path: message`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path || '?'}: ${e.message ?? 'invalid'}`).join('; ');
}

/** The paths a message written with formatFieldErrors names, in order, each once. */
export function fieldPathsIn(text: string): string[] {
  const paths = [...text.matchAll(new RegExp(`(?:^|[(;] ?)(${PATH}): `, 'g'))].map((m) => m[1] as string);
  return [...new Set(paths)];
}

/**
 * Which thread of a Create Conversation a field path names (`threads[3].text` → 3, and the field within it),
 * or undefined when it names the conversation itself.
 */
export function inlineThreadOf(path: string): { index: number; field: string } | undefined {
  const m = /^threads\[(\d+)\](?:\.(.*))?$/.exec(path);
  return m ? { index: Number(m[1]), field: m[2] ?? '' } : undefined;
}
