import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { bookChecksum } from '../../../src/sources/kraken/book/checksum.ts'
import { OrderBook } from '../../../src/sources/kraken/book/order-book.ts'
import { readFrame } from '../../../src/sources/kraken/frames.ts'
import { type JsonObject, asObject } from '../../../src/sources/kraken/wire.ts'

// Kraken's documented worked example (research notes §1.10, V1) and a self-consistent update chain (V3).
const v1 =
  '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.10000000},{"price":45283.4,"qty":1.54582015},{"price":45282.1,"qty":0.10000000},{"price":45281.0,"qty":0.10000000},{"price":45280.3,"qty":1.54592586},{"price":45279.0,"qty":0.07990000},{"price":45277.6,"qty":0.03310103},{"price":45277.5,"qty":0.30000000},{"price":45277.3,"qty":1.54602737},{"price":45276.6,"qty":0.15445238}],"asks":[{"price":45285.2,"qty":0.00100000},{"price":45286.4,"qty":1.54571953},{"price":45286.6,"qty":1.54571109},{"price":45289.6,"qty":1.54560911},{"price":45290.2,"qty":0.15890660},{"price":45291.8,"qty":1.54553491},{"price":45294.7,"qty":0.04454749},{"price":45296.1,"qty":0.35380000},{"price":45297.5,"qty":0.09945542},{"price":45299.5,"qty":0.18772827}],"checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]}'
const v3 = [
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.05000000}],"asks":[],"checksum":1060293189,"timestamp":"2023-10-06T17:35:55.512007Z"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":45285.2,"qty":0.00000000},{"price":45300.1,"qty":0.50000000}],"checksum":732005647,"timestamp":"2023-10-06T17:35:55.601442Z"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45284.0,"qty":0.25000000}],"asks":[],"checksum":1586239724,"timestamp":"2023-10-06T17:35:55.733910Z"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45282.1,"qty":0.00000000},{"price":45276.6,"qty":0.15445238}],"asks":[{"price":45286.4,"qty":1.20000000}],"checksum":3439491225,"timestamp":"2023-10-06T17:35:55.804118Z"}]}'
]

function element(text: string): JsonObject {
  const frame = readFrame(text)
  assert.equal(frame.kind, 'data')
  return asObject(frame.kind === 'data' ? frame.data[0] : undefined, 'book')
}

function levels(value: unknown): { price: string; qty: string }[] {
  return (value as { price: string; qty: string }[]).map(l => ({ price: l.price, qty: l.qty }))
}

test("Kraken's documented checksum example matches when computed from the wire lexemes", () => {
  const book = new OrderBook('BTC/USD', 10)
  const data = element(v1)
  book.reset(levels(data.bids), levels(data.asks))
  assert.equal(book.checksum(), 3310070434)
})

test('the same book from JavaScript numbers gives the wrong checksum (the classic bug this avoids)', () => {
  const data = element(v1)
  const asFloats = (side: unknown) =>
    levels(side).map(l => ({ price: String(Number(l.price)), qty: String(Number(l.qty)) }))
  assert.equal(bookChecksum(asFloats(data.asks), asFloats(data.bids)), 4237635173)
})

test('an update chain with deletes, depth refills and truncation keeps every checksum', () => {
  const book = new OrderBook('BTC/USD', 10)
  const snapshot = element(v1)
  book.reset(levels(snapshot.bids), levels(snapshot.asks))
  for (const text of v3) {
    const data = element(text)
    book.update(levels(data.bids), levels(data.asks))
    assert.equal(book.checksum(), Number(data.checksum), text.slice(60, 140))
    assert.ok(book.size.bids <= 10 && book.size.asks <= 10)
  }
})

test('a small independent vector matches', () => {
  const asks = [
    { price: '62710.5', qty: '0.93111634' },
    { price: '62710.6', qty: '0.50000000' },
    { price: '62711.0', qty: '1.20000000' }
  ]
  const bids = [
    { price: '62710.4', qty: '0.01000000' },
    { price: '62709.1', qty: '2.00000000' }
  ]
  assert.equal(bookChecksum(asks, bids), 1396696505)
})

test('the sample snapshot fixture parses into a book with levels in best-first order', () => {
  const data = element(readFileSync('fixtures/kraken/samples/ws_book_snapshot.json', 'utf8'))
  const book = new OrderBook('BTC/USD', 10)
  book.reset(levels(data.bids), levels(data.asks))
  const top = book.top(2)
  assert.deepEqual(top.bids[0], ['105944.20', '0.136'])
  assert.deepEqual(top.asks[0], ['105944.30', '0.136'])
})
