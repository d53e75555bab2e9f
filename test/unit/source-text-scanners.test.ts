import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntities } from '../../src/source/json/html.js';
import { plainTextToHtml } from '../../src/source/text.js';
import { mulberry32 } from '../../src/util/prng.js';

// The scanners replaced these regular expressions; they must give the same text for every input (the table
// is written again here on purpose: the reference must not share the code it checks).
const ENTITY_NAMES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};
function referenceDecode(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    const key = name.toLowerCase();
    return Object.hasOwn(ENTITY_NAMES, key) ? (ENTITY_NAMES[key] as string) : match;
  });
}
const BREAKS_AND_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
function referenceHtml(text: string): string {
  return text.replace(/\r\n|[\r\n&<>]/g, (match) => BREAKS_AND_SPECIALS[match] ?? '<br>');
}

/** Random strings built from the pieces the scanners treat apart. */
function randomTexts(seed: number, pieces: readonly string[], count: number): string[] {
  const random = mulberry32(seed);
  const texts: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = '';
    const length = Math.floor(random() * 12);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    texts.push(text);
  }
  return texts;
}

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references at the start, the middle and the end', () => {
    assert.equal(decodeEntities('&lt;b&gt;'), '<b>');
    assert.equal(decodeEntities('a &AMP; b &Nbsp;c'), 'a & b \u00a0c');
    assert.equal(decodeEntities('&#233;t&#xE9;&#X41;'), 'étéA');
    assert.equal(decodeEntities('&#128578;'), '🙂');
    assert.equal(decodeEntities('&#00065;&#x0041;'), 'AA');
  });

  it('leaves alone what is no complete reference', () => {
    for (const text of [
      '&',
      'a &',
      '&;',
      '& amp;',
      '&amp',
      'end &gt',
      '&#;',
      '&#x;',
      '&#12a;',
      '&#x1g;',
      '&a1;',
    ])
      assert.equal(decodeEntities(text), text);
    assert.equal(decodeEntities('&foo;&#0;&#1114112;&#x110000;'), '&foo;&#0;&#1114112;&#x110000;');
    assert.equal(decodeEntities('&&amp;&'), '&&&', 'a lone & next to a reference');
    assert.equal(decodeEntities('&amp;lt;'), '&lt;', 'decoded once, not twice');
    assert.equal(decodeEntities('&am&amp;p;'), '&am&p;');
    assert.equal(
      decodeEntities('&constructor; &toString; &AMP;'),
      '&constructor; &toString; &',
      'own names only',
    );
  });

  it('agrees with the regular expression it replaced on random text', () => {
    const pieces = [
      '&',
      ';',
      '#',
      'x',
      'X',
      'amp',
      'LT',
      'nbsp',
      'zz',
      '1',
      '65',
      'fF',
      'g',
      ' ',
      'é',
      '🙂',
      '\n',
    ];
    for (const text of randomTexts(20261130, pieces, 5000))
      assert.equal(decodeEntities(text), referenceDecode(text), JSON.stringify(text));
  });
});

describe('plainTextToHtml', () => {
  it('makes CRLF, a lone CR and LF one <br> each, and escapes & < >', () => {
    assert.equal(plainTextToHtml('a\r\nb\rc\nd'), 'a<br>b<br>c<br>d');
    assert.equal(plainTextToHtml('\r\n\r\n'), '<br><br>');
    assert.equal(plainTextToHtml('\n\r'), '<br><br>', 'LF then CR is two breaks');
    assert.equal(plainTextToHtml('x\r\r\ny'), 'x<br><br>y');
    assert.equal(plainTextToHtml('\r'), '<br>');
    assert.equal(plainTextToHtml('<&>'), '&lt;&amp;&gt;');
    assert.equal(plainTextToHtml('end\r'), 'end<br>');
  });

  it('agrees with the regular expression it replaced on random text', () => {
    const pieces = ['\r', '\n', '\r\n', '&', '<', '>', 'a', ' ', '"', 'é', '🙂', '&amp;'];
    for (const text of randomTexts(20261131, pieces, 5000))
      assert.equal(plainTextToHtml(text), referenceHtml(text), JSON.stringify(text));
  });
});
