import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The arrows of the layout point one way: cli → run → {source, plan, state, helpscout, report} → api, util
 * (config is read by all of these). A type-only import carries no code, so a layer may name the data shapes
 * of a sibling (state stores rows and plans) without depending on its behaviour.
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

const LEAVES = ['api', 'util'];
const RULES: Record<string, { code: string[]; types?: string[] }> = {
  api: { code: [] },
  util: { code: [] },
  config: { code: LEAVES },
  source: { code: [...LEAVES, 'config'] },
  plan: { code: [...LEAVES, 'config'], types: ['source'] },
  state: { code: [...LEAVES, 'config'], types: ['source', 'plan'] },
  helpscout: { code: LEAVES },
  report: { code: LEAVES, types: ['state'] },
  run: { code: [...LEAVES, 'config', 'source', 'plan', 'state', 'helpscout', 'report'] },
  cli: { code: [...LEAVES, 'config', 'source', 'plan', 'state', 'helpscout', 'report', 'run', 'emulator'] },
  emulator: { code: LEAVES },
};

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Static imports and re-exports (`import type` / `export type` are type-only) and dynamic imports. */
function importsOf(text: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+['"]([^'"]+)['"]/gms;
  for (const m of text.matchAll(statement)) found.push({ spec: m[3] as string, typeOnly: Boolean(m[2]) });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm))
    found.push({ spec: m[1] as string, typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ spec: m[1] as string, typeOnly: /typeof\s+$/.test(text.slice(0, m.index)) });
  }
  return found;
}

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? (rel.split('/')[0] as string) : 'entry';
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    if (from === 'entry') continue; // src/cli.ts only starts the CLI
    const rule = RULES[from];
    if (!rule) {
      found.push(`${relative(SRC, file)}: folder "${from}" has no rule`);
      continue;
    }
    for (const { spec, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(file), spec));
      if (to === from) continue;
      const allowed = rule.code.includes(to) || (typeOnly && (rule.types ?? []).includes(to));
      if (!allowed) found.push(`${relative(SRC, file)} → ${spec}${typeOnly ? ' (types)' : ''}`);
    }
  }
  return found;
}

describe('the import graph', () => {
  it('points one way: cli → run → {source, plan, state, helpscout, report} → api, util', () => {
    assert.deepEqual(violations(), []);
  });

  it('finds an arrow pointing back (the check itself)', () => {
    const imports = importsOf(
      "import { a } from '../run/x.js';\nimport type { B } from '../state/y.js';\nexport { c } from './z.js';",
    );
    assert.deepEqual(imports, [
      { spec: '../run/x.js', typeOnly: false },
      { spec: '../state/y.js', typeOnly: true },
      { spec: './z.js', typeOnly: false },
    ]);
  });
});
