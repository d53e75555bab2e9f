import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorWanted } from '../../src/util/logger.js';

describe('NO_COLOR', () => {
  it('turns colour off when set and not empty (no-color.org)', () => {
    assert.equal(colorWanted({ NO_COLOR: '1' }), false);
    assert.equal(colorWanted({ NO_COLOR: '' }), true);
    assert.equal(colorWanted({}), true);
  });
});
