import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { FatalError } from '../util/errors.js';
import { type Config, configSchema } from './schema.js';

/** Flags of the CLI that override the config file (product.md: "each overrides the config file"). */
export interface ConfigOverrides {
  source?: string[];
  apiUrl?: string;
  mailbox?: number;
  state?: string;
  reportDir?: string;
  strategy?: 'batch' | 'per-thread';
  concurrency?: number;
  rateLimit?: number;
  sample?: number;
  logLevel?: string;
}

/** The config with every path absolute and every override applied. */
export interface ResolvedConfig extends Config {
  /** Folder the source files are relative to. */
  baseDir: string;
  configPath: string | undefined;
}

export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      const keys =
        'keys' in issue && Array.isArray(issue.keys) ? ` ${issue.keys.map((k) => `"${k}"`).join(', ')}` : '';
      return `${file}: ${path}: ${issue.message}${keys && !issue.message.includes('"') ? keys : ''}`;
    })
    .join('\n');
}

/**
 * Reads `import.config.json` (absent is fine only when it was not named), validates it, and applies the
 * flags. Config paths are relative to the config's folder; flag paths to the working folder.
 */
export function loadConfig(
  configPath: string | undefined,
  overrides: ConfigOverrides,
  cwd = process.cwd(),
): ResolvedConfig {
  const path = resolve(cwd, configPath ?? 'import.config.json');
  let raw: unknown = {};
  if (existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new FatalError(
        'CONFIG_INVALID',
        `${path}: not valid JSON: ${(cause as Error).message}`,
        { path },
        { cause },
      );
    }
  } else if (configPath !== undefined) {
    throw new FatalError('CONFIG_MISSING', `Config file ${path} does not exist.`, { path });
  }
  const merged = applyOverrides(raw, overrides);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new FatalError(
      'CONFIG_INVALID',
      `Invalid configuration:\n${formatIssues(path, parsed.error.issues)}`,
      { path },
    );
  }
  const config = parsed.data;
  const configDir = existsSync(path) ? dirname(path) : cwd;
  const fromConfig = (p: string) => (isAbsolute(p) ? p : resolve(configDir, p));
  const fromCwd = (p: string) => resolve(cwd, p);
  // Source files stay as written in the config (the source resolves them against baseDir), so reports name
  // them as the user did; files given as flags are made absolute from the working folder.
  const resolved: ResolvedConfig = {
    ...config,
    source: {
      ...config.source,
      files: overrides.source?.length ? overrides.source.map(fromCwd) : config.source.files,
    },
    state: overrides.state ? fromCwd(overrides.state) : fromConfig(config.state),
    reportDir: overrides.reportDir ? fromCwd(overrides.reportDir) : fromConfig(config.reportDir),
    baseDir: configDir,
    configPath: existsSync(path) ? path : undefined,
  };
  checkApiUrl(resolved.target.apiUrl);
  return resolved;
}

function applyOverrides(raw: unknown, o: ConfigOverrides): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  const target = { ...((config.target as Record<string, unknown> | undefined) ?? {}) };
  if (o.apiUrl !== undefined) target.apiUrl = o.apiUrl;
  if (o.mailbox !== undefined) target.mailboxId = o.mailbox;
  if (Object.keys(target).length > 0) config.target = target;
  if (o.strategy !== undefined) config.strategy = o.strategy;
  if (o.concurrency !== undefined) config.concurrency = o.concurrency;
  if (o.rateLimit !== undefined) config.rateLimit = o.rateLimit;
  if (o.sample !== undefined) config.sample = o.sample;
  if (o.logLevel !== undefined) config.logLevel = o.logLevel;
  return config;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` makes Node accept any certificate: the token and every customer's data
 * would go to whoever sits in the middle. Tolerated only for this machine (a local proxy or emulator).
 */
export function checkTlsVerification(apiUrl: string, env: NodeJS.ProcessEnv = process.env): void {
  if (apiUrl === 'embedded' || env.NODE_TLS_REJECT_UNAUTHORIZED !== '0') return;
  const url = new URL(apiUrl);
  if (LOOPBACK.test(url.hostname)) return;
  throw new FatalError(
    'INSECURE_TLS',
    `NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment: Node would accept any certificate, so the token and the customers' data could reach someone posing as ${url.host}. Unset it (and give Node a proxy's CA with NODE_EXTRA_CA_CERTS if one inspects HTTPS).`,
  );
}

/** Credentials travel to the API: HTTPS only, except to this machine (the emulator). */
export function checkApiUrl(apiUrl: string): void {
  if (apiUrl === 'embedded') return;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new FatalError('CONFIG_INVALID', `target.apiUrl "${apiUrl}" is not a URL (or "embedded").`);
  }
  // Never echoed: the password would reach the terminal and the log.
  if (url.username !== '' || url.password !== '') {
    throw new FatalError(
      'CONFIG_INVALID',
      `target.apiUrl ${url.origin} carries a user name or password ("user:password@"): credentials come only from the environment (HELPSCOUT_APP_ID and HELPSCOUT_APP_SECRET, or HELPSCOUT_ACCESS_TOKEN). Remove them from the URL.`,
    );
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return;
  throw new FatalError(
    'CONFIG_INVALID',
    `target.apiUrl ${url.origin} must use https (plain http only to loopback).`,
  );
}

export interface EnvCredentials {
  appId?: string;
  appSecret?: string;
  accessToken?: string;
}

/** Credentials come from the environment only; a `.env` in the working folder fills what the environment lacks. */
export function readCredentials(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): EnvCredentials {
  const dotenvPath = resolve(cwd, '.env');
  const file = existsSync(dotenvPath) ? parseEnv(readFileSync(dotenvPath, 'utf8')) : {};
  const pick = (name: string) => env[name] || (file as Record<string, string | undefined>)[name] || undefined;
  const result: EnvCredentials = {};
  const appId = pick('HELPSCOUT_APP_ID');
  const appSecret = pick('HELPSCOUT_APP_SECRET');
  const accessToken = pick('HELPSCOUT_ACCESS_TOKEN');
  if (appId) result.appId = appId;
  if (appSecret) result.appSecret = appSecret;
  if (accessToken) result.accessToken = accessToken;
  return result;
}
