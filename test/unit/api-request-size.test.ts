import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonStringBytes } from '../../src/api/request-size.js';
import { mulberry32 } from '../../src/util/prng.js';

const reference = (value: string) => Buffer.byteLength(JSON.stringify(value));

describe('jsonStringBytes', () => {
  it('counts what JSON.stringify then UTF-8 take, escapes and surrogates included', () => {
    const samples = [
      '',
      'plain ascii',
      'quote " backslash \\ slash /',
      'controls \b\t\n\f\r \u0000 \u0001 \u001f \u007f',
      'naïve café é ß',
      'שלום مرحبا 你好',
      'emoji 😀 and flags 🇫🇷',
      'lone high \ud83d then text',
      'lone low \ude00 alone',
      'high at the end \ud83d',
      '\ud83d\ud83d\ude00',
      '\u2028\u2029 line separators',
      '\ufeff bom \uffff',
    ];
    for (const value of samples)
      assert.equal(jsonStringBytes(value), reference(value), JSON.stringify(value));
  });

  it('agrees with the reference on random strings of any code unit', () => {
    const random = mulberry32(20261125);
    for (let n = 0; n < 2000; n++) {
      const units: number[] = [];
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) {
        // Mostly the interesting ranges: controls, ASCII, 2- and 3-byte, surrogates.
        const ranges = [0x20, 0x80, 0x800, 0xd800, 0xdc00, 0xe000, 0x10000];
        const hi = ranges[Math.floor(random() * ranges.length)] as number;
        units.push(Math.floor(random() * hi));
      }
      const value = String.fromCharCode(...units);
      assert.equal(jsonStringBytes(value), reference(value), JSON.stringify(value));
    }
  });
});
