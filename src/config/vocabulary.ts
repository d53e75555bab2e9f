/** The names the config speaks of: canonical columns, roles, presets, source formats. */

export const CANONICAL_COLUMNS = [
  'conversation_id',
  'thread_id',
  'created_at',
  'text',
  'author_role',
  'author_email',
  'author_name',
  'customer_id',
  'customer_email',
  'first_name',
  'last_name',
  'phone',
  'photo_url',
  'photo_type',
  'job_title',
  'location',
  'organization',
  'background',
  'gender',
  'age',
  'subject',
  'tags',
  'status',
  'attachments',
] as const;
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

export const AUTHOR_ROLES = ['customer', 'agent', 'note', 'system'] as const;
export type AuthorRole = (typeof AUTHOR_ROLES)[number];

export const PRESETS = [
  'tidio',
  'gorgias',
  'intercom-csv',
  'zendesk',
  'intercom',
  'freshdesk',
  'helpscout',
  'groove',
] as const;
export type PresetName = (typeof PRESETS)[number];

export const SOURCE_FORMATS = ['auto', 'csv', 'json', 'jsonl', 'mbox'] as const;
export type SourceFormat = Exclude<(typeof SOURCE_FORMATS)[number], 'auto'>;
