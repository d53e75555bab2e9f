import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, SafeHtml } from '../../src/emulator/web/html.js';
import { safeUrl, sanitizeBody } from '../../src/emulator/web/sanitize.js';

const clean = (body: string) => sanitizeBody(body).text;

test('the html template escapes every value unless it is already safe markup', () => {
  const evil = `<img src=x onerror="alert('1')">&`;
  assert.equal(
    html`<p>${evil}</p>`.text,
    '<p>&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>',
  );
  assert.equal(
    html`<p>${new SafeHtml('<b>ok</b>')}${[1, 'a<', null, undefined, false]}</p>`.text,
    '<p><b>ok</b>1a&lt;</p>',
  );
  assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
});

test('what an import sends is shown as Help Scout shows it', () => {
  assert.equal(
    clean('Hi Lucas,<br>the order &lt;#4821&gt; &amp; the refund.'),
    'Hi Lucas,<br>the order &lt;#4821&gt; &amp; the refund.',
  );
  assert.equal(clean('<p dir="rtl">مرحبا</p>'), '<p dir="rtl">مرحبا</p>');
  assert.equal(clean('Caf&eacute; &#233; &#xE9; & co'), 'Caf&eacute; &#233; &#xE9; &amp; co');
  assert.equal(
    clean('<blockquote><ul><li>one<li>two</ul></blockquote>'),
    '<blockquote><ul><li>one</li><li>two</li></ul></blockquote>',
  );
});

test('scripts, handlers, styles, frames and unsafe links never pass', () => {
  const cases: [string, string][] = [
    ['<script>alert(1)</script>after', 'after'],
    ['<SCRIPT type="text/javascript">alert(1)</SCRIPT >after', 'after'],
    ['<script>never closed', ''],
    ['<style>body{display:none}</style>x', 'x'],
    ['<iframe src="https://evil.example"></iframe>x', 'x'],
    ['<svg><script>alert(1)</script></svg>x', 'x'],
    ['<b onclick="alert(1)" onmouseover=alert(2)>b</b>', '<b>b</b>'],
    ['<div style="background:url(javascript:alert(1))">d</div>', '<div>d</div>'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href=" JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="java&#x09;script:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="jav&#97;script&#58;alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    [
      '<a href="data:text/html,<script>alert(1)</script>">x</a>',
      '<a rel="noopener noreferrer nofollow">x</a>',
    ],
    ['<a href="vbscript:msgbox(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<img src=x onerror=alert(1)>', '<a href="x" rel="noopener noreferrer nofollow">[image]</a>'],
    ['<img src="javascript:alert(1)" alt="a">', '[image: a]'],
    ['<img/src=x/onerror=alert(1)>', '&lt;img/src=x/onerror=alert(1)&gt;'],
    ['<a href="x"onclick=alert(1)>y</a>', '&lt;a href="x"onclick=alert(1)&gt;y'],
    ['<!-- <script>alert(1)</script> -->x', 'x'],
    ['<!--x', ''],
    ['<form action="/x"><input name=a><button>go</button></form>', 'go'],
    ['<meta http-equiv="refresh" content="0;url=javascript:alert(1)">x', 'x'],
    ['<base href="https://evil.example/">x', 'x'],
    ['</div></main></body>escape', 'escape'],
    ['<b>unclosed <i>nested', '<b>unclosed <i>nested</i></b>'],
    ['1 < 2 > 0', '1 &lt; 2 &gt; 0'],
    [
      '<a title="&quot; onmouseover=&quot;alert(1)">t</a>',
      '<a title="&quot; onmouseover=&quot;alert(1)" rel="noopener noreferrer nofollow">t</a>',
    ],
  ];
  for (const [body, expected] of cases) assert.equal(clean(body), expected, body);
});

test('a link keeps http(s), mailto, tel and relative targets only', () => {
  assert.equal(safeUrl('https://example.com/a?b=1&c=2'), 'https://example.com/a?b=1&c=2');
  assert.equal(safeUrl('mailto:help@example.com'), 'mailto:help@example.com');
  assert.equal(safeUrl('tel:+33123456789'), 'tel:+33123456789');
  assert.equal(safeUrl('/conversations/1'), '/conversations/1');
  assert.equal(safeUrl('\u0000javascript:alert(1)'), undefined);
  assert.equal(safeUrl('data:image/png;base64,AAAA'), undefined);
  assert.equal(safeUrl('file:///etc/passwd'), undefined);
});
