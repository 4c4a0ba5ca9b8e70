/**
 * Builds fixtures/kraken/recorded/btc-usdt-2025-11-10.ndjson, the recorded-style session the fake
 * Kraken replays (REPLAY_MARKET=recorded), from Kraken's real-format samples in
 * fixtures/kraken/samples: the 1,000 real consecutive XBTUSDT REST trades become v2 `trade` frames
 * (BTC/USDT, lexemes unchanged), each followed by a `ticker` frame derived from it and the REST
 * ticker sample; the real 1-minute candles become `ohlc` frames; Kraken's documented BTC/USD book
 * example and its verified update chain open a `book` stream that continues with derived updates
 * whose checksums are computed like Kraken's. Deterministic: run it again, get the same file.
 *
 *   node scripts/derive-kraken-recording.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'lossless-json'
import { seededRandom } from '../src/sim/kraken/profiles.ts'
import { SimBook, viewChecksum } from '../src/sim/kraken/sim-book.ts'

type Row = string[]
const samples = new URL('../fixtures/kraken/samples/', import.meta.url)
const read = (name: string) =>
  parse(readFileSync(new URL(name, samples), 'utf8'), null, (lexeme: string) => lexeme) as {
    result: Record<string, unknown>
  }

const trades = read('http_trades.json').result.XBTUSDT as Row[]
const candles = read('http_ohlc.json').result.XBTUSDT as Row[]
const ticker = read('http_ticker.json').result.XBTUSDT as Record<string, string[]>

const firstTime = Number(trades[0]?.[2])
const start = firstTime - 1
const at = (seconds: number) => Math.round((seconds - start) * 1e6) / 1e6
const iso = (seconds: string | number): string => {
  const [whole = '0', fraction = ''] = String(seconds).split('.')
  const base = new Date(Number(whole) * 1000).toISOString().slice(0, 19)
  return `${base}.${fraction.padEnd(6, '0').slice(0, 6)}Z`
}

const lines: { t: number; frame: string }[] = []
const push = (t: number, frame: string) => lines.push({ t, frame })

push(
  0,
  '{"channel":"status","type":"update","data":[{"version":"2.0.10","system":"online","api_version":"v2","connection_id":18125794168470749634,"upcoming_maintenance":[],"emergency":[]}]}'
)

// Trades, batched as Kraken batches fills that share a timestamp, each batch followed by a ticker.
let volume = Number(ticker.v?.[1] ?? '0')
const open = Number(ticker.o ?? '0')
for (let i = 0; i < trades.length;) {
  const time = trades[i]?.[2]
  const batch: Row[] = []
  while (i < trades.length && trades[i]?.[2] === time) batch.push(trades[i++] as Row)
  const data = batch.map(
    ([price, qty, t, side, type, , id]) =>
      `{"symbol":"BTC/USDT","side":"${side === 'b' ? 'buy' : 'sell'}","price":${price},"qty":${qty},"ord_type":"${type === 'm' ? 'market' : 'limit'}","trade_id":${id},"timestamp":"${iso(t ?? '0')}"}`
  )
  push(at(Number(time)), `{"channel":"trade","type":"update","data":[${data.join(',')}]}`)
  const last = batch.at(-1) ?? []
  for (const row of batch) volume += Number(row[1])
  const price = Number(last[0])
  const change = price - open
  push(
    at(Number(time)) + 0.000001,
    `{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USDT","bid":${(price - 0.1).toFixed(1)},"bid_qty":${ticker.b?.[2]},"ask":${price.toFixed(1)},"ask_qty":${ticker.a?.[2]},"last":${price.toFixed(1)},"volume":${volume.toFixed(8)},"vwap":${ticker.p?.[1]},"low":${ticker.l?.[1]},"high":${ticker.h?.[1]},"change":${change.toFixed(1)},"change_pct":${((change / open) * 100).toFixed(2)},"timestamp":"${iso(time ?? '0')}"}]}`
  )
}

// Kraken's own candles for the minutes the trades span, sent when each minute closes.
const lastTime = Number(trades.at(-1)?.[2])
for (const [begin, o, h, l, c, vwap, vol, count] of candles) {
  const b = Number(begin)
  if (b < start || b > lastTime || count === '0') continue
  push(
    at(b + 59.9),
    `{"channel":"ohlc","type":"update","timestamp":"${iso(b + 59.9).slice(0, -1)}000Z","data":[{"symbol":"BTC/USDT","open":${o},"high":${h},"low":${l},"close":${c},"trades":${count},"volume":${vol},"vwap":${vwap},"interval_begin":"${iso(b).slice(0, -1)}000Z","interval":1,"timestamp":"${iso(b + 60)}"}]}`
  )
}

// The documented BTC/USD book (V1) and its verified chain (V3), retimed onto this session…
const chain = [
  '{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.10000000},{"price":45283.4,"qty":1.54582015},{"price":45282.1,"qty":0.10000000},{"price":45281.0,"qty":0.10000000},{"price":45280.3,"qty":1.54592586},{"price":45279.0,"qty":0.07990000},{"price":45277.6,"qty":0.03310103},{"price":45277.5,"qty":0.30000000},{"price":45277.3,"qty":1.54602737},{"price":45276.6,"qty":0.15445238}],"asks":[{"price":45285.2,"qty":0.00100000},{"price":45286.4,"qty":1.54571953},{"price":45286.6,"qty":1.54571109},{"price":45289.6,"qty":1.54560911},{"price":45290.2,"qty":0.15890660},{"price":45291.8,"qty":1.54553491},{"price":45294.7,"qty":0.04454749},{"price":45296.1,"qty":0.35380000},{"price":45297.5,"qty":0.09945542},{"price":45299.5,"qty":0.18772827}],"checksum":3310070434,"timestamp":"TS"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.05000000}],"asks":[],"checksum":1060293189,"timestamp":"TS"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[{"price":45285.2,"qty":0.00000000},{"price":45300.1,"qty":0.50000000}],"checksum":732005647,"timestamp":"TS"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45284.0,"qty":0.25000000}],"asks":[],"checksum":1586239724,"timestamp":"TS"}]}',
  '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45282.1,"qty":0.00000000},{"price":45276.6,"qty":0.15445238}],"asks":[{"price":45286.4,"qty":1.20000000}],"checksum":3439491225,"timestamp":"TS"}]}'
]
const book = new SimBook()
chain.forEach((frame, index) => {
  const t = 0.5 + index * 0.25
  const levels = JSON.parse(frame.replace(/(\d+\.\d+)/g, '"$1"')) as {
    data: { bids: { price: string; qty: string }[]; asks: { price: string; qty: string }[] }[]
  }
  for (const l of levels.data[0]?.bids ?? []) book.set('bid', l.price, l.qty)
  for (const l of levels.data[0]?.asks ?? []) book.set('ask', l.price, l.qty)
  book.truncate(10)
  push(t, frame.replace('TS', iso(start + t)))
})

// …then derived updates every 30 s: a requote near the top, a refill when a level leaves.
const random = seededRandom(45_283)
for (let t = 32; t < at(lastTime); t += 30) {
  const before = book.view(10)
  const side = random() < 0.5 ? 'bid' : 'ask'
  const levels = side === 'bid' ? before.bids : before.asks
  const level = levels[Math.floor(random() * Math.min(4, levels.length))]
  const changes: { side: 'bid' | 'ask'; price: string; qty: string }[] = []
  if (level !== undefined && random() < 0.3) {
    changes.push({ side, price: level.price, qty: '0.00000000' })
    const worst = Number(levels.at(-1)?.price ?? level.price)
    changes.push({
      side,
      price: (side === 'bid' ? worst - 0.7 : worst + 0.7).toFixed(1),
      qty: (random() * 2).toFixed(8)
    })
  } else if (level !== undefined) {
    changes.push({ side, price: level.price, qty: (0.001 + random() * 2).toFixed(8) })
  }
  for (const change of changes) book.set(change.side, change.price, change.qty)
  book.truncate(10)
  const render = (wanted: 'bid' | 'ask') =>
    changes
      .filter(c => c.side === wanted)
      .map(c => `{"price":${c.price},"qty":${c.qty}}`)
      .join(',')
  push(
    t,
    `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[${render('bid')}],"asks":[${render('ask')}],"checksum":${viewChecksum(book.view(10))},"timestamp":"${iso(start + t)}"}]}`
  )
}

lines.sort((a, b) => a.t - b.t)
const header = {
  recording: {
    description: 'BTC/USDT trades, tickers and candles, and a BTC/USD depth-10 book, as Kraken v2 frames',
    derivedFrom:
      'fixtures/kraken/samples (real Kraken REST trades, candles and ticker; documented book example); see fixtures/kraken/README.md',
    generatedBy: 'scripts/derive-kraken-recording.ts',
    symbols: ['BTC/USDT', 'BTC/USD'],
    bookDepth: 10,
    seconds: Math.ceil(lines.at(-1)?.t ?? 0)
  }
}
const out = [JSON.stringify(header), ...lines.map(line => JSON.stringify(line))].join('\n') + '\n'
writeFileSync(new URL('../fixtures/kraken/recorded/btc-usdt-2025-11-10.ndjson', import.meta.url), out)
process.stdout.write(`${lines.length} frames, ${Math.ceil(lines.at(-1)?.t ?? 0)} s\n`)
