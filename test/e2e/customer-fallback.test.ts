import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, REPO_ROOT, runCli } from '../support/cli.js';
import { readCsv, tempDir, writeConfig } from '../support/fixtures.js';

/** The real Tidio sample: two of its three conversations are anonymous visitors' (no email on any row). */
describe('source.customerFallback on the real Tidio sample, through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  const setUp = (fallback?: string) => {
    const dir = tempDir('fallback');
    copyFileSync(join(REPO_ROOT, 'fixtures/real-exports/tidio-messages.csv'), join(dir, 'tidio.csv'));
    const config = writeConfig(dir, {
      source: { files: ['tidio.csv'], preset: 'tidio', ...(fallback ? { customerFallback: fallback } : {}) },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
    });
    return { dir, config };
  };

  it('validate rejects the anonymous conversations and suggests the fallback', async () => {
    const { dir, config } = setUp();
    const result = await runCli(['validate', '--config', config], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout.match(/has no customer_id or customer_email/g)?.length, 7);
    assert.match(result.stdout, /hint: 2 conversations name no customer; set source\.customerFallback/);
  });

  it('with the fallback, every conversation is imported with a customer, and the summary counts them', async () => {
    const { dir, config } = setUp('{conversationId}@visitors.invalid');
    const validate = await runCli(['validate', '--config', config], { cwd: dir });
    assert.doesNotMatch(validate.stdout, /no customer|hint:/);
    const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    // Exit 2: the sample's one malformed row is still rejected.
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stdout, /conversations with source\.customerFallback as customer 2/);
    const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8'));
    assert.equal(summary.conversations.withFallbackCustomer, 2);
    assert.equal(summary.conversations.done, 3);
    const rejects = readCsv(join(dir, 'report', 'rejects.csv'));
    assert.equal(rejects.length, 1);
    const state = emulator.state();
    const emails = state.conversations.map(
      (c) => state.customers.find((k) => k.id === c.customerId)?.email ?? '',
    );
    assert.deepEqual(emails.filter((e) => e.endsWith('@visitors.invalid')).sort(), [
      '958740115@visitors.invalid',
      '958753466@visitors.invalid',
    ]);
  });
});
