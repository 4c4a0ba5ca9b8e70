import assert from 'node:assert/strict'
import { test } from 'node:test'
import { coinMentions } from '../../../src/sources/news/coin-mentions.ts'

const codes = (title: string, body = '', categories: string[] = []) =>
  coinMentions({ title, body, categories }).map(c => `${c.code}:${c.mentions}${c.inTitle ? 'T' : ''}`)

test('names, possessives, tickers, cashtags and pairs count; the title is marked', () => {
  assert.deepEqual(
    codes("Bitcoin's rally lifts BTC and $eth", 'BTC/USD broke out; ETHUSDT followed, bitcoins moved.'),
    ['BTC:4T', 'ETH:2T']
  )
})

test('tickers that are English words need crypto context or a cashtag', () => {
  assert.deepEqual(codes('Why you should link your accounts', 'A near miss at the dot com party'), [])
  assert.deepEqual(codes('LINK jumps as oracle token rallies'), ['LINK:1T'])
  assert.deepEqual(codes('What I learned from ONE year', 'Nothing digital here, NEAR the office.'), [])
  assert.deepEqual(codes('$SOL and #near lead the gains'), ['NEAR:1T', 'SOL:1T'])
})

test('an all-caps ticker that is no English word counts in running text, once, while the word it resembles does not', () => {
  assert.deepEqual(codes('Markets wrap', 'SOL and XRP led the majors while stocks slipped.'), [
    'SOL:1',
    'XRP:1'
  ])
  assert.deepEqual(codes('Sol y sombra: a summer in Seville', 'The sol rises early.'), [])
})

test('the DOGE department is not the memecoin; Dogecoin is', () => {
  assert.deepEqual(
    codes('DOGE publishes its final report', 'The government efficiency office listed savings.'),
    []
  )
  assert.deepEqual(codes('Dogecoin whales add 1 billion DOGE', 'The memecoin tested resistance.'), [
    'DOGE:2T'
  ])
})

test('everyday names (Avalanche, Polygon, Cosmos) count only capitalized and in a crypto context', () => {
  assert.deepEqual(codes('Avalanche warning issued for the Alps'), [])
  assert.deepEqual(codes('Avalanche fees hit record low', 'The blockchain network burned less.'), ['AVAX:1T'])
  assert.deepEqual(codes('an avalanche of token listings'), [])
})

test('a shouted headline does not turn words into tickers; feed categories count once each', () => {
  assert.deepEqual(codes('NEAR AND FAR: CRYPTO TRADERS LINK UP AT CONFERENCE'), [])
  assert.deepEqual(codes('Market wrap', 'Stocks rose.', ['Bitcoin', 'Ethereum', 'Markets']), [
    'BTC:1',
    'ETH:1'
  ])
})

test('finance acronyms and fiat codes are never coins', () => {
  assert.deepEqual(codes('SEC and CEO of ETF issuer discuss USD and EUR flows in crypto'), [])
})

test('mentions are weighted by place: title first, and a coin the page body names once in passing is left out', () => {
  const page =
    'Bitcoin extended its rally on Tuesday. Bitcoin funds took in more money, and bitcoin miners sold less. ' +
    'Elsewhere, solana was flat.'
  const coins = coinMentions({ title: 'Ether ETF filings pile up', body: '', content: page, categories: [] })
  assert.deepEqual(
    coins.map(c => `${c.code}:${c.mentions}${c.inTitle ? 'T' : ''}`),
    ['BTC:3', 'ETH:1T']
  )
  const inSummary = coinMentions({
    title: 'Markets',
    body: 'Solana fees fell.',
    content: page,
    categories: []
  })
  assert.ok(
    inSummary.some(c => c.code === 'SOL' && c.mentions === 2),
    'a summary mention keeps it'
  )
})
