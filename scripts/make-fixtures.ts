/**
 * Writes the demo export in fixtures/demo/ (two CSV files, attachments, README.md with the expected counts).
 * Deterministic: a seeded PRNG and fixed dates, so running it again gives the same bytes.
 *   npx tsx scripts/make-fixtures.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { CANONICAL_COLUMNS, type CanonicalColumn } from '../src/config/schema.js';
import { mulberry32 } from '../src/util/prng.js';

const OUT = fileURLToPath(new URL('../fixtures/demo/', import.meta.url));
const TIMEZONE = 'Europe/Paris';

// ── randomness ─────────────────────────────────────────────────────────────────────────────────────────────
const rand = mulberry32(20240917);
const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const chance = (p: number): boolean => rand() < p;

// ── attachments ────────────────────────────────────────────────────────────────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A valid RGB PNG; `pixel` gives each pixel's colour. */
function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
function pdf(title: string): Buffer {
  const text = `BT /F1 18 Tf 72 720 Td (${title}) Tj ET`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
      `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n` +
      `4 0 obj << /Length ${text.length} >> stream\n${text}\nendstream endobj\n` +
      `5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}
/** Noise compresses to nothing, like a photo: three of these cannot share one 256 KiB request. */
function photo(seed: number): Buffer {
  const noise = mulberry32(seed);
  return png(202, 202, () => [
    Math.floor(noise() * 256),
    Math.floor(noise() * 256),
    Math.floor(noise() * 256),
  ]);
}
const ATTACHMENTS: Record<string, Buffer> = {
  'attachments/receipt.txt': Buffer.from(
    'Receipt #A-2291\r\nPlan: Team (annual)\r\nAmount: 348.00 EUR\r\nPaid: 2024-03-02\r\n',
  ),
  'attachments/error-log.txt': Buffer.from(
    '12:01:07 ERROR sync failed: 502 Bad Gateway\n12:01:09 WARN retrying (1/3)\n',
  ),
  'attachments/screenshot.png': png(32, 32, (x, y) => [x * 8, y * 8, 128]),
  'attachments/invoice-2024-118.pdf': pdf('Invoice 2024-118'),
  'attachments/docs/Order form (signed).pdf': pdf('Order form - signed'),
  'attachments/photos/damaged-box-1.png': photo(1),
  'attachments/photos/damaged-box-2.png': photo(2),
  'attachments/photos/damaged-box-3.png': photo(3),
};

// ── people and words ───────────────────────────────────────────────────────────────────────────────────────
interface Agent {
  email: string;
  name: string;
}
const AGENTS: Agent[] = [
  { email: 'anna@example.com', name: 'Anna Lindqvist' },
  { email: 'ben@example.com', name: 'Ben Okafor' },
  { email: 'chloe@example.com', name: 'Chloé Martin' },
];
const EMMA: Agent = { email: 'emma@example.com', name: 'Emma Novak' };

type Cells = Partial<Record<CanonicalColumn, string>>;
interface Customer {
  /** Cells put on the customer's first line (and the email on every customer line when `emailEverywhere`). */
  cells: Cells;
  greetingName: string;
  lang: 'en' | 'fr' | 'ar' | 'he' | 'ja' | 'zh' | 'ko' | 'de';
}
const PEOPLE: [string, string, Customer['lang']][] = [
  ['Olivia', 'Brown', 'en'],
  ['Lucas', 'Moreau', 'fr'],
  ['Sofia', 'García', 'en'],
  ['Noah', 'Schmidt', 'de'],
  ['Léa', 'Dubois', 'fr'],
  ['Youssef', 'El Amrani', 'ar'],
  ['Noa', 'Levi', 'he'],
  ['Haruto', 'Tanaka', 'ja'],
  ['Wei', 'Zhang', 'zh'],
  ['Min-jun', 'Kim', 'ko'],
  ['Zoë', 'Van der Berg', 'en'],
  ['Mateus', 'Gonçalves', 'en'],
  ['Ingrid', 'Solberg', 'en'],
  ['Renée', 'Lefèvre', 'fr'],
  ['Jürgen', 'Weiß', 'de'],
  ['Aoife', "O'Connor", 'en'],
];
const OPENERS: Record<Customer['lang'], string[]> = {
  en: [
    'Hi, my order still has not arrived.',
    'Hello! Can I change the delivery address?',
    'Hey, I was charged twice 😕',
  ],
  fr: [
    'Bonjour, ma commande n’est toujours pas arrivée.',
    'Bonjour ! Puis-je changer l’adresse de livraison ?',
  ],
  de: ['Hallo, meine Bestellung ist noch nicht angekommen.', 'Guten Tag, ich möchte mein Abo kündigen.'],
  ar: ['مرحبا، لم يصل طلبي رقم ٤٥٦٧ بعد.', 'السلام عليكم، أريد تغيير عنوان التوصيل من فضلك.'],
  he: ['שלום, ההזמנה שלי עדיין לא הגיעה.', 'היי, חויבתי פעמיים על אותה הזמנה.'],
  ja: ['こんにちは。注文した商品がまだ届いていません。', '配送先住所を変更できますか？'],
  zh: ['你好，我想修改我的订单地址。', '您好，我的订单显示已发货，但一直没有收到。'],
  ko: ['안녕하세요, 환불 문의드립니다.', '주문한 상품이 아직 도착하지 않았어요.'],
};
const CUSTOMER_LINES = [
  'Thanks, that helps!',
  'Order number is #A-4821.',
  'It says "payment pending", is that normal?',
  'I tried again, same error 🙁',
  'Ok, one more question, though:\nwhere do I find the invoice?',
  'Great 👍',
  'Is <b>bold</b> text allowed in the notes field? 5 > 3 & 2 < 4',
  'I can\'t log in since yesterday, it says "account locked".',
  'Perfect, thank you so much! 🙏🎉',
  'Could you send it to my colleague, too? Her address is in the order.',
  'Café de la gare — re\u0301servation pour 12, c’est possible ?',
  'Yes, that’s the one.',
  'Line one\r\nline two, with a comma\r\nline three "quoted"',
];
const AGENT_LINES = [
  'Thanks for reaching out! Let me check that for you.',
  'I can see your order here, one moment please.',
  'Your parcel left our warehouse yesterday, tracking: 1Z 999 AA1 01 2345 6784.',
  'Done! You should get a confirmation email in a few minutes.',
  'Sorry about that. I have refunded the duplicate charge, it takes 3–5 business days.',
  'Could you tell me which browser you are using?',
  'Here are the steps:\n1. Open Settings\n2. Click "Billing"\n3. Choose "Download invoice"',
  'Is there anything else I can help you with?',
  'Merci pour votre patience 😊',
];
const AGENT_GREETINGS = [
  'thanks for reaching out!',
  'let me check that for you.',
  'happy to help 🙂',
  'thanks for waiting.',
];
const NOTE_LINES = [
  'Customer is on the legacy plan, check with finance before refunding.',
  'Escalated to tier 2, see ticket OPS-4412.',
  'VIP: be extra careful, previous complaint in March.',
];
const SYSTEM_LINES = [
  'Chat started from the pricing page',
  'Visitor left the chat',
  'Chat transferred to another agent',
];
const CLOSING_LINES = [
  'Thanks, bye!',
  'Merci, bonne journée !',
  'شكرا جزيلا',
  'תודה רבה!',
  'ありがとうございました！',
  '谢谢！',
  '감사합니다!',
];
const SUBJECTS = [
  'Where is my order?',
  'Double charge',
  'Change of address',
  'Login problem',
  'Invoice request',
];
const TAG_SETS = ['billing', 'shipping;urgent', 'vip; billing ;', 'login;bug', 'refund'];

// ── time ───────────────────────────────────────────────────────────────────────────────────────────────────
type TimeStyle = 'Z' | 'Zfrac' | '+02:00' | '+0200' | '-05:00' | 'naive';
const STYLES: (TimeStyle | 'mixed')[] = ['Z', 'naive', '+02:00', 'Z', '-05:00', 'Zfrac', 'mixed', '+0200'];
const ALL_STYLES: TimeStyle[] = ['Z', 'Zfrac', '+02:00', '+0200', '-05:00', 'naive'];
const parisParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIMEZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function formatTime(instant: number, style: TimeStyle): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  switch (style) {
    case 'Z':
      return `${iso(instant)}Z`;
    case 'Zfrac':
      return `${iso(instant)}.${pick(['5', '250', '123456', '999'])}Z`;
    case '+02:00':
      return `${iso(instant + 2 * 3_600_000)}+02:00`;
    case '+0200':
      return `${iso(instant + 2 * 3_600_000).replace('T', ' ')}+0200`;
    case '-05:00':
      return `${iso(instant - 5 * 3_600_000)}-05:00`;
    case 'naive': {
      const p = Object.fromEntries(parisParts.formatToParts(instant).map((part) => [part.type, part.value]));
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
    }
  }
}
const at = (iso: string): number => Date.parse(iso);

// ── conversations ──────────────────────────────────────────────────────────────────────────────────────────
interface Line {
  conv: string;
  index: number;
  instant: number;
  style: TimeStyle;
  cells: Cells;
  /** Written as is instead of the formatted instant (the invalid date). */
  createdAtText?: string;
  threadIds: boolean;
  /** The field this line is rejected on; undefined for a valid line. */
  rejectField?: string;
  file: 2024 | 2025;
  /** Never moved by the shuffle: equal timestamps without thread_id keep their order by position. */
  pinned?: boolean;
  /** Equal timestamps told apart by thread_id: written in the file in the wrong order on purpose. */
  tieGroup?: string;
}
interface ConvSpec {
  id: string;
  start: number;
  threads: number;
  agent: Agent;
  customer: Customer;
  style: TimeStyle | 'mixed';
  threadIds: boolean;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function makeCustomer(n: number): Customer {
  const [first, last, lang] = PEOPLE[n % PEOPLE.length] as [string, string, Customer['lang']];
  const domain = ['example.net', 'example.org', 'mail.example.com'][n % 3] as string;
  const cells: Cells = { customer_email: `${slug(first)}.${slug(last)}@${domain}` };
  if (n % 3 === 0) {
    Object.assign(cells, {
      first_name: first,
      last_name: last,
      phone: `+33 6 ${String(10 + n).padStart(2, '0')} 45 67 89`,
    });
    if (n % 2 === 0)
      cells.organization = pick(['Acme GmbH', 'Blue Fjord AS', 'Studio Nakamura', 'Café Lumière SARL']);
    if (n % 4 === 0)
      Object.assign(cells, {
        job_title: 'Office manager',
        location: 'Lyon, France',
        gender: 'Female',
        age: '34',
      });
    if (n % 5 === 0) {
      cells.photo_url = `https://images.example.com/avatars/${slug(first)}.png`;
      cells.photo_type = 'gravatar';
      cells.background = 'Prefers follow-ups by email.';
    }
  }
  return { cells, greetingName: first, lang };
}

function customerText(customer: Customer, first: boolean): string {
  if (first) return pick(OPENERS[customer.lang]);
  if (customer.lang !== 'en' && chance(0.3)) return pick(OPENERS[customer.lang]);
  return pick(CUSTOMER_LINES);
}

function makeConversation(spec: ConvSpec): Line[] {
  const lines: Line[] = [];
  let instant = spec.start;
  let last: string = 'agent';
  let customerLines = 0;
  const add = (cells: Cells) => {
    const style = spec.style === 'mixed' ? pick(ALL_STYLES) : spec.style;
    lines.push({
      conv: spec.id,
      index: lines.length,
      instant,
      style,
      cells,
      threadIds: spec.threadIds,
      file: 2024,
    });
    instant += int(20, 240) * 1000;
  };
  if (chance(0.3)) add({ author_role: 'system', text: pick(SYSTEM_LINES) });
  while (lines.length < spec.threads) {
    const remaining = spec.threads - lines.length;
    let role: string =
      last === 'customer' ? (chance(0.8) ? 'agent' : 'customer') : chance(0.85) ? 'customer' : 'agent';
    if (lines.length > 2 && chance(0.07)) role = 'note';
    else if (lines.length > 2 && chance(0.03)) role = 'system';
    if (customerLines === 0) role = 'customer';
    if (role === 'customer') {
      const cells: Cells = {
        author_role: pick(['customer', 'customer', 'Customer', '']),
        text: customerText(spec.customer, customerLines === 0),
      };
      if (remaining === 1 && spec.threads > 3) cells.text = pick(CLOSING_LINES);
      if (customerLines === 0) Object.assign(cells, spec.customer.cells);
      else if (spec.customer.cells.customer_email && chance(0.4))
        cells.customer_email = spec.customer.cells.customer_email;
      customerLines += 1;
      add(cells);
    } else if (role === 'agent') {
      const greeted = lines.some((line) => line.cells.author_email === spec.agent.email);
      const text = greeted ? pick(AGENT_LINES) : `Hi ${spec.customer.greetingName}, ${pick(AGENT_GREETINGS)}`;
      add({
        author_role: pick(['agent', 'agent', 'Agent']),
        author_email: spec.agent.email,
        author_name: spec.agent.name,
        text,
      });
    } else if (role === 'note') {
      add({
        author_role: pick(['note', ' NOTE ']),
        author_email: spec.agent.email,
        author_name: spec.agent.name,
        text: pick(NOTE_LINES),
      });
    } else {
      add({ author_role: 'system', text: pick(SYSTEM_LINES) });
    }
    last = role;
  }
  if (chance(0.5)) {
    const carrier = pick(lines).cells;
    carrier.subject = pick(SUBJECTS);
    if (chance(0.6)) carrier.tags = pick(TAG_SETS);
    if (chance(0.5)) carrier.status = pick(['closed', 'Closed', 'active', 'pending']);
  }
  return lines;
}

const convId = (n: number): string => `conv-${1000 + n}`;
const EMMA_CONVERSATIONS = new Set([8, 25, 41]);
const NO_THREAD_IDS = new Set([15, 44]);
/** Which seeded Help Scout customer each conversation names (by id; 503 gives its email too, id wins). */
const BY_ID: Record<number, [Cells, string]> = {
  5: [{ customer_id: '501' }, 'Maria'],
  18: [{ customer_id: '502' }, 'Kenji'],
  40: [{ customer_id: '503', customer_email: 'amira.haddad@example.net' }, 'Amira'],
};
const LONG: Record<number, number> = { 20: 150, 32: 280 };

function startOf(n: number): number {
  if (n <= 29)
    return at('2024-03-04T07:00:00Z') + Math.round((n - 1) * 9.5) * 86_400_000 + int(0, 9 * 60) * 60_000;
  if (n === 30) return at('2024-12-31T23:59:10Z');
  if (n === 31) return at('2024-12-31T23:58:40Z');
  if (n === 32) return at('2024-12-31T16:00:00Z');
  return at('2025-01-06T07:00:00Z') + Math.round((n - 33) * 9.5) * 86_400_000 + int(0, 9 * 60) * 60_000;
}

function buildConversations(): Line[][] {
  const conversations: Line[][] = [];
  for (let n = 1; n <= 48; n++) {
    const customer = makeCustomer(n);
    const byId = BY_ID[n];
    if (byId) [customer.cells, customer.greetingName] = [{ ...byId[0] }, byId[1]];
    if (n === 9) {
      customer.cells = { customer_email: 'maria.rossi@example.org', first_name: 'Maria', last_name: 'Rossi' };
      customer.greetingName = 'Maria';
    }
    if (n === 12) customer.cells.customer_email = 'Haruto.Tanaka@Example.org';
    const spec: ConvSpec = {
      id: convId(n),
      start: startOf(n),
      threads: LONG[n] ?? int(4, 14),
      agent: EMMA_CONVERSATIONS.has(n) ? EMMA : (AGENTS[n % AGENTS.length] as Agent),
      customer,
      style: STYLES[n % STYLES.length] as TimeStyle | 'mixed',
      threadIds: !NO_THREAD_IDS.has(n),
    };
    if ([2, 3, 4, 6, 14, 15, 30, 31, 44].includes(n)) spec.threads = Math.max(spec.threads, 8);
    conversations.push(makeConversation(spec));
  }
  return conversations;
}

const conversations = buildConversations();
const conv = (n: number): Line[] => conversations[n - 1] as Line[];
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fixture generator: no ${what}`);
  return value;
}
const customerLinesOf = (n: number): Line[] =>
  conv(n).filter((line) => ['customer', 'Customer', ''].includes(line.cells.author_role ?? ''));
/** An extra line just after `after`, in the same conversation. */
function extraLine(n: number, after: number, cells: Cells, rejectField?: string): Line {
  const base = conv(n)[after] as Line;
  const line: Line = { ...base, index: conv(n).length, instant: base.instant + 5000, cells, rejectField };
  conv(n).push(line);
  return line;
}

// Quoted newlines, commas and double quotes.
(conv(2)[1] as Line).cells.text = 'Line one\r\nline two, with a comma\r\nline three "quoted"';
(conv(2)[2] as Line).cells.text =
  'Here are the steps:\n1. Open Settings\n2. Click "Billing"\n3. Choose "Download invoice"';
// Three ~120 KiB photos: the conversation cannot be created in one 256 KiB request.
customerLinesOf(3)
  .slice(0, 3)
  .forEach((line, i) => {
    line.cells.text = `Photo ${i + 1} of the damaged box 📦`;
    line.cells.attachments = `attachments/photos/damaged-box-${i + 1}.png`;
  });
// Small attachments, one line with two.
must(customerLinesOf(4)[0], 'customer line 0 of conversation 4').cells.attachments =
  'attachments/receipt.txt; attachments/screenshot.png';
must(
  conv(4).find((line) => line.cells.author_role?.toLowerCase() === 'agent'),
  'agent line in conversation 4',
).cells.attachments = 'attachments/invoice-2024-118.pdf';
must(customerLinesOf(4)[1], 'customer line 1 of conversation 4').cells.attachments =
  'attachments/docs/Order form (signed).pdf';
must(customerLinesOf(34)[0], 'customer line 0 of conversation 34').cells.attachments =
  'attachments/error-log.txt';
// Equal timestamps told apart by thread_id (one pair written in two formats of the same instant).
for (const [a, b, styles] of [
  [2, 3, ['Z', 'Z']],
  [5, 6, ['Z', '+02:00']],
] as const) {
  const first = conv(6)[a] as Line;
  const second = conv(6)[b] as Line;
  second.instant = first.instant;
  first.style = styles[0];
  second.style = styles[1];
  first.tieGroup = second.tieGroup = `conv-1006#${a}`;
}
// Equal timestamps without thread_id: the order in the file decides.
for (const [n, a] of [
  [15, 3],
  [44, 1],
] as const) {
  const first = conv(n)[a] as Line;
  const second = conv(n)[a + 1] as Line;
  second.instant = first.instant;
  second.style = first.style;
  first.pinned = second.pinned = true;
}
// Combining accents (e + U+0301) and HTML special characters.
(conv(14)[1] as Line).cells.text = 'Cafe\u0301 de la gare — re\u0301servation pour 12, c’est possible ?';
(conv(14)[2] as Line).cells.text = 'Is <b>bold</b> text allowed in the notes field? 5 > 3 & 2 < 4';
// The six invalid lines, each in a conversation that keeps valid lines.
const LONG_FIRST_NAME = 'Maximiliane-Alexandra Konstanze Friederike von Hohenberg';
extraLine(10, 1, { author_role: 'customer', text: 'Are you still there?' }, 'created_at').createdAtText =
  '2024-02-30 10:00:00';
extraLine(13, 1, { author_role: 'customer', text: '   ' }, 'text');
extraLine(16, 1, { author_role: 'chatbot', text: 'I am a bot, how can I help?' }, 'author_role');
extraLine(
  19,
  1,
  {
    author_role: 'customer',
    text: 'My full name, for the invoice',
    first_name: LONG_FIRST_NAME,
  },
  'first_name',
);
extraLine(
  21,
  1,
  { author_role: 'customer', text: 'See the attached file', attachments: '../../package.json' },
  'attachments',
);
extraLine(
  36,
  1,
  { author_role: 'customer', text: 'Scan of my receipt', attachments: 'attachments/scan-of-receipt.pdf' },
  'attachments',
);

// ── files ──────────────────────────────────────────────────────────────────────────────────────────────────
const allLines = conversations.flat();
for (const line of allLines) line.file = new Date(line.instant).getUTCFullYear() === 2024 ? 2024 : 2025;
// One late line of a 2024 conversation only made it into the 2025 export.
const late = conv(27).at(-1) as Line;
late.file = 2025;

// Thread ids follow time, as a platform's message ids would; ties keep the conversation's intended order.
let nextThreadId = 800_001;
for (const line of [...allLines].sort(
  (a, b) => a.instant - b.instant || a.conv.localeCompare(b.conv) || a.index - b.index,
)) {
  if (line.threadIds) line.cells.thread_id = String(nextThreadId++);
}

function fileOrder(year: 2024 | 2025): Line[] {
  const lines = allLines.filter((line) => line.file === year);
  lines.sort((a, b) => a.instant - b.instant || a.conv.localeCompare(b.conv) || a.index - b.index);
  // Exports are rarely in time order: move lines around, except the ties that only their position orders.
  for (let k = 0; k < lines.length / 3; k++) {
    const i = int(0, lines.length - 1);
    const j = Math.min(lines.length - 1, i + int(1, 40));
    if (lines[i]?.pinned || lines[j]?.pinned) continue;
    [lines[i], lines[j]] = [lines[j] as Line, lines[i] as Line];
  }
  // The thread_id ties are written later-first, so only thread_id can order them.
  const groups = new Map<string, number[]>();
  lines.forEach((line, position) => {
    if (line.tieGroup) groups.set(line.tieGroup, [...(groups.get(line.tieGroup) ?? []), position]);
  });
  for (const positions of groups.values()) {
    const members = positions.map((p) => lines[p] as Line).sort((a, b) => b.index - a.index);
    positions.forEach((p, i) => {
      lines[p] = members[i] as Line;
    });
  }
  return lines;
}

function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
function writeCsv(name: string, lines: Line[], eol: string, bom: boolean): void {
  const rows = [CANONICAL_COLUMNS.join(',')];
  for (const line of lines) {
    const cells: Cells = {
      ...line.cells,
      conversation_id: line.conv,
      created_at: line.createdAtText ?? formatTime(line.instant, line.style),
    };
    rows.push(CANONICAL_COLUMNS.map((column) => csvCell(cells[column] ?? '')).join(','));
  }
  writeFileSync(path.join(OUT, name), (bom ? '\ufeff' : '') + rows.join(eol) + eol);
}

// ── README ─────────────────────────────────────────────────────────────────────────────────────────────────
function expectations() {
  const rejectsByField: Record<string, number> = {};
  const threadsByConversation: Record<string, number> = {};
  for (const line of allLines) {
    if (line.rejectField) rejectsByField[line.rejectField] = (rejectsByField[line.rejectField] ?? 0) + 1;
    else threadsByConversation[line.conv] = (threadsByConversation[line.conv] ?? 0) + 1;
  }
  const rejected = Object.values(rejectsByField).reduce((a, b) => a + b, 0);
  return {
    timezone: TIMEZONE,
    files: ['chats-2024.csv', 'chats-2025.csv'],
    rows: allLines.length,
    validRows: allLines.length - rejected,
    rejectedRows: rejected,
    rejectsByField,
    conversations: Object.keys(threadsByConversation).length,
    threadsByConversation,
  };
}

function readme(expected: ReturnType<typeof expectations>, files: Record<2024 | 2025, Line[]>): string {
  const inBoth = [...new Set(files[2024].map((l) => l.conv))].filter((id) =>
    files[2025].some((l) => l.conv === id),
  );
  const where = (field: string) =>
    allLines
      .filter((l) => l.rejectField === field)
      .map((l) => l.conv)
      .join(', ');
  const table = Object.entries(expected.threadsByConversation)
    .map(([id, threads]) => `| ${id} | ${threads} |`)
    .join('\n');
  return `# Demo export

Generated by \`npx tsx scripts/make-fixtures.ts\` (seeded, fixed dates: rerunning it gives the same bytes). Read it
with \`source.timezone: "${TIMEZONE}"\`. Canonical headers; one row per message.

- \`chats-2024.csv\`: ${files[2024].length} rows, CRLF line ends, no BOM.
- \`chats-2025.csv\`: ${files[2025].length} rows, LF line ends, UTF-8 BOM.
- \`attachments/\`: the files the rows point to (${Object.keys(ATTACHMENTS).length} files).

## What is in it, and where
- **Conversations in both files**: ${inBoth.join(', ')} (conv-1032, the longest, runs across New Year; the last line
  of conv-1027, from November 2024, only made it into the 2025 file).
- **Long conversations**: conv-1020 (${expected.threadsByConversation['conv-1020']} threads) and conv-1032
  (${expected.threadsByConversation['conv-1032']} threads).
- **Rows out of order**: both files are shuffled (lines moved up to 40 rows), so conversations' lines are
  interleaved and out of time order.
- **Equal timestamps, thread_id decides**: conv-1006, twice; the later thread_id is written first, and one pair is
  the same instant written as \`…Z\` and \`…+02:00\`.
- **Equal timestamps, no thread_id, position decides**: conv-1015 and conv-1044 have no thread_id at all; each
  has one pair of lines with the same time, in the right order in the file.
- **Timestamp forms** (by conversation): \`Z\`, \`Z\` with fractions (1 to 6 digits), \`+02:00\`, \`+0200\` with a
  space for \`T\`, \`-05:00\`, and naive \`yyyy-MM-dd HH:mm:ss\` read in ${TIMEZONE}; some conversations mix them.
- **Customers**: by email in most conversations (repeat customers share an email; conv-1012 writes it in mixed
  case); by Help Scout id in conv-1005 (501), conv-1018 (502) and conv-1040 (503, with its email too: the id
  wins); conv-1009 uses the email of seeded customer 501 (maria.rossi@example.org). Optional fields (name,
  phone, organization, job title, location, gender, age, photo) on some conversations' first customer line.
- **Agents**: anna@, ben@, chloe@example.com (Help Scout users) and emma@example.com, who is not one
  (conv-1008, conv-1025, conv-1041). Roles are written \`agent\`/\`Agent\`, \`customer\`/\`Customer\`/empty,
  \`note\`/\` NOTE \`, \`system\`.
- **Unicode**: emoji, Arabic and Hebrew (right-to-left), Japanese, Chinese, Korean, combining accents (conv-1014:
  \`e\` + U+0301).
- **Quoting**: text with quoted newlines (CRLF and LF), commas and double quotes (conv-1002 and others); HTML
  special characters to escape (conv-1014 and others).
- **Subject, tags, status**: on one line (any) of about half the conversations; tags are \`;\`-separated, one set
  with spaces and an empty item.
- **Attachments**: conv-1003 has three ~120 KiB photos on three lines (its threads cannot all fit inline in one
  256 KiB request); conv-1004 has a line with two files, a PDF on an agent line and a file name with spaces and
  parentheses in a subfolder; conv-1034 a text file.

## The 6 invalid rows (each in a conversation that keeps valid rows)
| field | what | conversation |
|---|---|---|
| created_at | \`2024-02-30 10:00:00\` is not a date | ${where('created_at')} |
| text | only spaces | ${where('text')} |
| author_role | \`chatbot\` is not a known role | ${where('author_role')} |
| first_name | ${LONG_FIRST_NAME.length} characters, over the 40 allowed | ${where('first_name')} |
| attachments | \`../../package.json\` is outside the CSV's folder; \`attachments/scan-of-receipt.pdf\` does not exist | ${where('attachments')} |

## Expected counts
${expected.rows} rows: ${expected.validRows} valid, ${expected.rejectedRows} rejected; ${expected.conversations} conversations.
Threads per conversation (valid rows):

| conversation | threads |
|---|---|
${table}

Machine-readable (tests read this block):

\`\`\`json
${JSON.stringify(expected, null, 2)}
\`\`\`
`;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────────────
rmSync(OUT, { recursive: true, force: true });
for (const [relPath, bytes] of Object.entries(ATTACHMENTS)) {
  mkdirSync(path.dirname(path.join(OUT, relPath)), { recursive: true });
  writeFileSync(path.join(OUT, relPath), bytes);
}
const files = { 2024: fileOrder(2024), 2025: fileOrder(2025) } as const;
writeCsv('chats-2024.csv', files[2024], '\r\n', false);
writeCsv('chats-2025.csv', files[2025], '\n', true);
const expected = expectations();
writeFileSync(path.join(OUT, 'README.md'), readme(expected, files));
console.log(
  `fixtures/demo: ${expected.rows} rows (${expected.validRows} valid, ${expected.rejectedRows} rejected), ${expected.conversations} conversations`,
);
