import type { ResolvedConfig } from '../config/load.js';
import { planOptionsOf, requestLimitsOf } from '../run/import.js';
import { etaMinutes, formatDuration } from '../run/progress.js';
import { type ValidateFigures, validateStaged } from '../run/validate-staged.js';
import { validateWholeRecords } from '../run/whole-records/validate-whole-records.js';
import { recognisedMessage, resolveSource } from '../source/detect.js';
import { EXIT } from './exit-codes.js';
import { type OnlineFindings, onlineChecks } from './validate-online.js';

/** Budget assumed when the account's limit is not configured: the Plus plan's. */
const ASSUMED_RATE_LIMIT = 400;

/**
 * read → validate → plan, with no network (but reads with `online`, validate-online.ts). An export of whole
 * conversations a record is checked record by record on every core (validate-whole-records.ts); any other,
 * or one that turns out not to be so, is staged and planned in a throw-away state file, never the real one.
 */
export async function validateCommand(config: ResolvedConfig, online = false): Promise<number> {
  const { source, recognised } = await resolveSource(config.source, config.baseDir);
  if (recognised !== undefined) process.stdout.write(`${recognisedMessage(recognised)}\n`);
  const whole = online
    ? undefined
    : await validateWholeRecords(source, config.baseDir, {
        plan: planOptionsOf(config),
        limits: requestLimitsOf(config),
      });
  const figures: ValidateFigures<OnlineFindings> = whole
    ? { ...whole, repeated: 0 }
    : await validateStaged(config, online ? (store) => onlineChecks(config, store) : undefined);
  process.stdout.write(`${describe(config, figures).join('\n')}\n`);
  const failing = figures.online?.rows.length ?? 0;
  return figures.rejects.length + failing > 0 ? EXIT.partial : EXIT.ok;
}

/** validate's report: the figures, the horizon of doubt, then each rejected row. */
function describe(
  config: ResolvedConfig,
  { counts: c, repeated, rejects, online }: ValidateFigures<OnlineFindings>,
): string[] {
  const failing = online?.rows.length ?? 0;
  const lost = online?.conversations ?? 0;
  const appended = c.threads - c.inline;
  // A new part is one Create Conversation; an appended thread one write of its own.
  const writes = c.parts + appended;
  const limit = config.rateLimit ?? ASSUMED_RATE_LIMIT;
  const minutes = etaMinutes(writes, limit);
  const out: string[] = [
    `rows read ${c.rowsRead}, valid ${c.rowsValid - c.rowsRejected - failing}, rejected ${c.rejected + c.rowsRejected + failing}`,
    `conversations ${c.conversations - c.conversationsRejected - lost} (rejected ${c.conversationsRejected + lost})`,
    `parts ${c.parts} (conversations split: ${c.splitConversations})`,
    `threads ${c.threads}: ${c.inline} inline, ${appended} appended`,
    `writes needed ${writes}; at ${limit} points/min${config.rateLimit ? '' : ' (assumed; set rateLimit)'}: about ${formatDuration(minutes)}`,
  ];
  out.push(inDoubtHorizon(config.reconcile.resendAfterSeconds));
  if (repeated > 0)
    out.push(`note: ${repeated} rows repeat an earlier row's thread_id with the same content: imported once`);
  if (c.subjectsCut > 0)
    out.push(`warning: ${c.subjectsCut} subjects are longer than 255 characters and will be cut`);
  for (const r of rejects)
    out.push(
      `rejected: ${r.file} ${r.line > 0 ? `row ${r.row} (line ${r.line})` : `record ${r.row}`} ${r.field}: ${r.reason}`,
    );
  if (online) {
    for (const r of online.rows)
      out.push(`rejected: ${r.file} row ${r.row} (line ${r.line}) ${r.field}: ${r.reason}`);
    out.push(online.summary);
  }
  const hint = fallbackHint(rejects, config.source.customerFallback);
  if (hint) out.push(hint);
  return out;
}

/**
 * What the run does with a create whose answer was lost, told before any import: Help Scout's lists may show
 * a new conversation minutes late, so a run can sit "in doubt, waiting" for this long at its end.
 */
export function inDoubtHorizon(seconds: number): string {
  if (seconds === 0)
    return "in doubt: a create whose answer is lost is sent again as soon as a read-back misses it (reconcile.resendAfterSeconds 0): Help Scout's lists may show it minutes late, and it would then be there twice";
  return `in doubt: a create whose answer is lost and which Help Scout does not list yet is sent again only ${inWords(seconds)} after it was first sent (reconcile.resendAfterSeconds ${seconds}); until then other conversations go on, then the run waits ("in doubt, waiting")`;
}

/** 600 → "10 minutes", 90 → "1 minute 30 seconds", 3600 → "1 hour". */
function inWords(seconds: number): string {
  const unit = (n: number, name: string) => (n === 0 ? '' : `${n} ${name}${n === 1 ? '' : 's'}`);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const words = [unit(h, 'hour'), unit(m, 'minute'), unit(seconds % 60, 'second')].filter(Boolean);
  return words.join(' ');
}

/** Anonymous visitors' chats are most of a live-chat export: say how to import them rather than reject them. */
function fallbackHint(
  rejects: readonly { reason: string }[],
  fallback: string | undefined,
): string | undefined {
  if (fallback) return undefined;
  const anonymous = new Set<string>();
  for (const r of rejects) {
    const match = /^conversation (.+) has no customer_id or customer_email on any of its rows$/.exec(
      r.reason,
    );
    if (match?.[1]) anonymous.add(match[1]);
  }
  if (anonymous.size === 0) return undefined;
  return `hint: ${anonymous.size} conversations name no customer; set source.customerFallback (e.g. "{conversationId}@visitors.invalid") to import them with a customer of their own`;
}
