import assert from 'node:assert/strict'
import { test } from 'node:test'
import { scoreArticle, tokenize } from '../../../src/jobs/analytics/sentiment/score.ts'

const headline = (title: string) => scoreArticle({ title, summary: '' })

test('crypto headlines that plain AFINN and VADER score as neutral or wrong get the right sign', () => {
  assert.equal(headline('Bitcoin surges past $100K as ETF inflows hit record').label, 'positive')
  assert.equal(headline('Bitcoin hits all-time high').label, 'positive')
  assert.equal(headline('SEC sues Binance over unregistered securities').label, 'negative')
  assert.equal(headline('Crypto exchange hacked, $200M drained in exploit').label, 'negative')
  assert.equal(headline('Investors got rekt as the rug pull wiped out the token').label, 'negative')
})

test('a phrase counts as one term, before its words', () => {
  const result = headline('Bitcoin hits all-time high')
  assert.deepEqual(result.positiveTerms, ['all-time high'])
  assert.deepEqual(headline('Short squeeze lifts ether').positiveTerms, ['short squeeze'])
})

test('negation flips the terms that follow it within the clause', () => {
  const bullish = headline('Analysts are bullish on bitcoin')
  const negated = headline('Analysts are not bullish on bitcoin')
  assert.ok(bullish.score > 0 && negated.score < 0)
  assert.deepEqual(negated.negativeTerms, ['not bullish'])
  assert.equal(headline("Bitcoin isn't crashing").label !== 'negative', true)
  assert.equal(headline('Analysts see no sign of a crash').label, 'positive')
})

test('negation stops at punctuation and after three words', () => {
  assert.equal(headline('Not today, but bitcoin rallies').label, 'positive')
  assert.equal(headline('No doubt markets will eventually rally hard').label, 'positive')
})

test('the title weighs twice the summary, and the score stays within [-1, 1]', () => {
  const titleOnly = scoreArticle({ title: 'Ether rallies', summary: '' })
  const summaryOnly = scoreArticle({ title: 'Ether today', summary: 'Ether rallies' })
  assert.equal(titleOnly.raw, 2 * summaryOnly.raw)
  const extreme = scoreArticle({
    title: 'crash crash crash hack exploit fraud scam ponzi',
    summary: 'rekt '.repeat(50)
  })
  assert.ok(extreme.score >= -1 && extreme.score < -0.99)
})

test('text without sentiment is neutral at exactly zero', () => {
  const result = headline('Ether price steady at $3,000 on Tuesday')
  assert.equal(result.score, 0)
  assert.equal(result.label, 'neutral')
})

test('tokens drop apostrophes inside words and keep clause punctuation', () => {
  assert.deepEqual(tokenize("Bitcoin isn't down, see https://x.io/a"), [
    'bitcoin',
    'isnt',
    'down',
    ',',
    'see'
  ])
})

test('the page body counts, but less than the title: a neutral headline over a bad story reads negative', () => {
  const body =
    'Hackers drained the exchange overnight. Users lost funds in the exploit and withdrawals were frozen.'
  const neutral = scoreArticle({ title: 'Exchange update', summary: '' })
  const withBody = scoreArticle({ title: 'Exchange update', summary: '', content: body })
  assert.equal(neutral.label, 'neutral')
  assert.equal(withBody.label, 'negative')
  // The same words in the title weigh four times what they weigh in a short body.
  const inTitle = scoreArticle({ title: 'Exchange hacked', summary: '' })
  const inBody = scoreArticle({ title: 'Exchange', summary: '', content: 'Exchange hacked' })
  assert.ok(Math.abs(inTitle.raw) === 4 * Math.abs(inBody.raw), `${inTitle.raw} vs ${inBody.raw}`)
})

test('past a hundred tokens a body weighs the same however long it is, so its length cannot drown the headline', () => {
  const paragraph = 'Bitcoin rallied and traders were bullish. '
  const long = scoreArticle({ title: 'Markets', summary: '', content: paragraph.repeat(100) })
  const longer = scoreArticle({ title: 'Markets', summary: '', content: paragraph.repeat(400) })
  assert.ok(long.raw > 0)
  assert.ok(Math.abs(longer.raw - long.raw) < 1e-9, `${longer.raw} vs ${long.raw}`)
})
