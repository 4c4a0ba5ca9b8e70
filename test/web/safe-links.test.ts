/** Links the dashboard makes from data: only web addresses become an href (src/web/lib/safe-url.ts). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { webHref } from '../../src/web/lib/safe-url.ts'

test('an http or https article URL becomes a link, as the browser would read it', () => {
  assert.equal(
    webHref('https://www.coindesk.com/markets/2026/11/25/btc'),
    'https://www.coindesk.com/markets/2026/11/25/btc'
  )
  assert.equal(webHref('http://example.com/a?b=c#d'), 'http://example.com/a?b=c#d')
  assert.equal(webHref('HTTPS://Example.COM/Path'), 'https://example.com/Path')
  assert.equal(webHref('  https://example.com/x  '), 'https://example.com/x')
})

test('a script, data, file or other non-web URL gives no link, however it is spelt', () => {
  for (const url of [
    'javascript:alert(document.domain)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'blob:https://example.com/0b0e',
    'ftp://example.com/file',
    'mailto:someone@example.com'
  ])
    assert.equal(webHref(url), undefined, JSON.stringify(url))
})

test('a relative, empty or missing URL gives no link (it would point into the dashboard)', () => {
  for (const url of [
    '/api/alerts',
    '#/news',
    '//evil.example.com/x',
    'example.com/page',
    '',
    null,
    undefined
  ])
    assert.equal(webHref(url), undefined, JSON.stringify(url))
})
