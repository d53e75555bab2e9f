import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inDoubtHorizon } from '../../src/cli/validate-command.js';

describe('validate tells the in-doubt horizon in words', () => {
  it('names the wait and the key that sets it', () => {
    assert.match(
      inDoubtHorizon(600),
      / only 10 minutes after it was first sent \(reconcile\.resendAfterSeconds 600\)/,
    );
    assert.match(inDoubtHorizon(90), / only 1 minute 30 seconds after /);
    assert.match(inDoubtHorizon(3_601), / only 1 hour 1 second after /);
    assert.match(inDoubtHorizon(600), /"in doubt, waiting"/);
  });

  it('warns that no horizon at all risks a duplicate', () => {
    assert.match(inDoubtHorizon(0), /as soon as a read-back misses it .* there twice$/);
  });
});
