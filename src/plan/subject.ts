/** Fills `{name}` placeholders; unknown names are left as written so a typo shows in the result. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** Help Scout subjects are single-line; keep them readable and bounded. */
export const SUBJECT_MAX = 255;

export function subjectFor(args: {
  subject: string | undefined;
  conversationId: string;
  customerLabel: string;
  firstCreatedAt: string;
  part: number;
  parts: number;
  subjectTemplate: string;
  partSubjectTemplate: string;
}): string {
  const base =
    args.subject?.trim() ||
    fillTemplate(args.subjectTemplate, {
      customer: args.customerLabel,
      date: args.firstCreatedAt.slice(0, 10),
      conversation: args.conversationId,
    });
  const full =
    args.parts > 1
      ? fillTemplate(args.partSubjectTemplate, { subject: base, part: args.part, parts: args.parts })
      : base;
  const oneLine = full.replace(/\s+/g, ' ').trim();
  return oneLine.length > SUBJECT_MAX ? `${oneLine.slice(0, SUBJECT_MAX - 1)}…` : oneLine;
}
