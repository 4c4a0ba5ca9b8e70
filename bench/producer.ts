/**
 * Producer throughput: messages per second from the fake Kraken (WebSocket v2, real socket) through
 * the market producer (parse with lexemes, normalize, dedupe, validate) into Kafka (idempotent
 * producer, acks=all, compressed batches). Two runs: with a bus that discards (the client's own
 * ceiling) and with the real broker (end to end). Figures only; never an assertion.
 *
 *   npm run bench:producer            # ORDERS=5000 per symbol by default
 */
import { availableParallelism, cpus } from 'node:os'
import type { Bus } from '../src/bus/bus.ts'
import type { MarketTopics } from '../src/sources/kraken/market-producer.ts'
import { startMarketRun, symbols, withScratchTopics } from './market-flood.ts'

const orders = Number(process.env.ORDERS ?? 5000)

async function runOnce(label: string, bus: Bus, topics: MarketTopics) {
  const run = await startMarketRun(bus, topics, orders)
  const { trades, tickers, seconds, sentSeconds } = await run.flood()
  const expected = trades + tickers
  const batches = await run.metrics.publishBatch.get()
  const count = batches.values.find(v => v.metricName?.endsWith('_count'))?.value ?? 0
  const sum = batches.values.find(v => v.metricName?.endsWith('_sum'))?.value ?? 0
  console.log(
    `${label.padEnd(28)} ${expected.toLocaleString('en').padStart(9)} msgs (${trades.toLocaleString('en')} trades + ${tickers.toLocaleString('en')} tickers) in ${seconds.toFixed(2)} s` +
      ` = ${Math.round(expected / seconds)
        .toLocaleString('en')
        .padStart(
          7
        )} msg/s  (server sent all in ${sentSeconds.toFixed(2)} s; mean publish batch ${count > 0 ? Math.round(sum / count) : 0})`
  )
  await run.stop()
}

const discard: Bus = {
  publish: async () => undefined,
  subscribe: async () => {
    throw new Error('not used')
  },
  close: async () => undefined
}

console.log(
  `producer benchmark: ${orders} orders × ${symbols.length} symbols; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`
)
await runOnce('WS → producer (bus discards)', discard, { trade: 't', ticker: 't', ohlc: 't', book: 't' })
await withScratchTopics(async (bus, topics) => {
  await runOnce('WS → producer → Kafka', bus, topics)
})
