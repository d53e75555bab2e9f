import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { checkApiUrl, loadConfig, readCredentials } from '../../src/config/load.js';
import type { HsImportError } from '../../src/util/errors.js';
import { tempDir } from '../support/fixtures.js';

function configIn(content: unknown): { dir: string; path: string } {
  const dir = tempDir('config');
  const path = join(dir, 'import.config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return { dir, path };
}

describe('loadConfig', () => {
  it('names every unknown key with its path', () => {
    const { path } = configIn({ source: { file: ['a.csv'] }, target: { mailbox: 3 }, speed: 1 });
    assert.throws(
      () => loadConfig(path, {}),
      (error: HsImportError) => {
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.match(error.message, /source: .*"file"/);
        assert.match(error.message, /target: .*"mailbox"/);
        assert.match(error.message, /\(top level\): .*"speed"/);
        return true;
      },
    );
  });

  it('applies defaults, resolves paths against the config folder, and lets flags override', () => {
    const { dir, path } = configIn({ source: { files: ['in/a.csv'] }, target: { mailboxId: 5 } });
    const config = loadConfig(
      path,
      { mailbox: 9, strategy: 'per-thread', state: 'elsewhere.sqlite' },
      '/work',
    );
    // Source files stay as written (resolved against baseDir), so reports name them as the user did.
    assert.deepEqual(config.source.files, ['in/a.csv']);
    assert.equal(config.baseDir, dir);
    const flagged = loadConfig(path, { source: ['b.csv'] }, '/work');
    assert.deepEqual(flagged.source.files, ['/work/b.csv']);
    assert.equal(config.target.mailboxId, 9);
    assert.equal(config.strategy, 'per-thread');
    assert.equal(config.state, '/work/elsewhere.sqlite');
    assert.equal(config.reportDir, join(dir, 'hs-import-report'));
    assert.equal(config.target.status, 'closed');
  });

  it('refuses malformed JSON and a named config that does not exist', () => {
    const { path } = configIn('{ "source": ');
    assert.throws(() => loadConfig(path, {}), /not valid JSON/);
    assert.throws(() => loadConfig('/nonexistent/x.json', {}), /does not exist/);
  });
});

describe('checkApiUrl', () => {
  it('takes https anywhere, http only to loopback', () => {
    checkApiUrl('https://api.helpscout.net/v2/');
    checkApiUrl('http://127.0.0.1:4000/v2/');
    checkApiUrl('http://localhost:4000/v2/');
    checkApiUrl('embedded');
    assert.throws(() => checkApiUrl('http://api.helpscout.net/v2/'), /https/);
    assert.throws(() => checkApiUrl('http://10.0.0.5/v2/'), /https/);
  });
});

describe('readCredentials', () => {
  it('reads the environment first, then .env', () => {
    const dir = tempDir('env');
    writeFileSync(join(dir, '.env'), 'HELPSCOUT_APP_ID=from-file\nHELPSCOUT_APP_SECRET=secret-file\n');
    assert.deepEqual(readCredentials({ HELPSCOUT_APP_ID: 'from-env' }, dir), {
      appId: 'from-env',
      appSecret: 'secret-file',
    });
  });
});

describe('the published JSON Schema', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema/import.config.schema.json', import.meta.url), 'utf8'),
    );
    assert.deepEqual(committed, configJsonSchema());
  });
});
