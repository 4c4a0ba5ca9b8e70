/**
 * The article reader: its throughput (pages per second from the loopback site farm: robots.txt,
 * rate limiter, safe GET, decoding and Readability extraction in the worker), and its cost on the
 * pipeline: trades per second from the fake Kraken through the market producer into Kafka, alone
 * and while the article reader works through pages in the same process (as in the produce role).
 * Figures only; never an assertion. The machine is shared: run it twice and read the spread.
 *
 *   npm run bench:articles            # PAGES=300, ORDERS=4000 per symbol, ROUNDS=3 by default
 */
import { availableParallelism, cpus } from 'node:os'
import type { Bus } from '../src/bus/bus.ts'
import { configFromEnv } from '../src/config/config.ts'
import { silentLogger } from '../src/log/logger.ts'
import { createMetricsRegistry } from '../src/ops/metrics.ts'
import type { ArticleV1 } from '../src/schemas/index.ts'
import { itemsOf } from '../src/sim/news/article-pages.ts'
import { type FakeFeeds, startFakeFeeds } from '../src/sim/news/fake-feed-server.ts'
import type { MarketTopics } from '../src/sources/kraken/market-producer.ts'
import { ArticleReader } from '../src/sources/news/articles/article-reader.ts'
import { createProducerMetrics } from '../src/sources/producer-metrics.ts'
import { readFileSync, readdirSync } from 'node:fs'
import { defaultFeedsDir } from '../src/sim/news/fake-feed-server.ts'
import { startMarketRun, symbols, withScratchTopics } from './market-flood.ts'

const pages = Number(process.env.PAGES ?? 300)
const orders = Number(process.env.ORDERS ?? 4000)
const rounds = Number(process.env.ROUNDS ?? 3)
const labels = {
  alone: 'trades → Kafka, no articles          ',
  flat: 'trades → Kafka, reader flat out      ',
  paced: 'trades → Kafka, reader at 1 page/s   '
} as const

/** The article URLs the site farm can serve: every item of the fixture feeds. */
function articleUrls(): string[] {
  const documents = readdirSync(defaultFeedsDir)
    .filter(f => f.endsWith('.xml'))
    .map(f => readFileSync(`${defaultFeedsDir}${f}`))
  return [...itemsOf(documents).keys()].map(key => `https://${key}`)
}

function article(url: string, i: number): ArticleV1 {
  return {
    v: 1,
    type: 'article',
    id: i.toString(16).padStart(32, '0'),
    source: 'bench',
    feedUrl: 'https://bench.example/feed',
    url: `${url}?n=${i}`,
    title: 'Bench',
    summary: '',
    authors: [],
    categories: [],
    publishedAt: new Date().toISOString(),
    publishedAtEstimated: false,
    coins: [],
    sponsored: false,
    fetchedAt: new Date().toISOString()
  }
}

function reader(feeds: FakeFeeds) {
  const metrics = createProducerMetrics(createMetricsRegistry())
  const settings = {
    ...configFromEnv({}).news.articles,
    // Capacity, not politeness: no per-host rate limit, the default concurrency.
    hostRatePerMinute: 1_000_000,
    hostBurst: 1_000,
    hostConcurrency: 4,
    budgetMs: 600_000
  }
  const created = new ArticleReader({
    settings,
    metrics,
    log: silentLogger(),
    route: feeds.route,
    allowPrivate: [feeds.host]
  })
  return { reader: created, metrics }
}

async function readPages(feeds: FakeFeeds, count: number, stop?: () => boolean, perSecond?: number) {
  const { reader: r, metrics } = reader(feeds)
  const urls = articleUrls()
  const started = performance.now()
  let done = 0
  let extracted = 0
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < count && stop?.() !== true) {
      const i = next++
      // Paced: article i starts no earlier than i / perSecond seconds in (new articles trickle in).
      if (perSecond !== undefined) {
        const wait = started + (i / perSecond) * 1000 - performance.now()
        if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
      }
      const read = await r.read(article(urls[i % urls.length] ?? '', i), 'bench')
      done++
      if (read.extraction?.status === 'extracted') extracted++
    }
  }
  await Promise.all(Array.from({ length: perSecond === undefined ? 8 : 2 }, lane))
  const seconds = (performance.now() - started) / 1000
  const extract = (await metrics.articleExtractSeconds.get()).values
  const sum = extract.find(v => v.metricName?.endsWith('_sum'))?.value ?? 0
  const n = extract.find(v => v.metricName?.endsWith('_count'))?.value ?? 0
  await r.close()
  return { done, extracted, seconds, extractMs: n > 0 ? (sum / n) * 1000 : 0 }
}

async function trades(bus: Bus, topics: MarketTopics, alongside?: { feeds: FakeFeeds; perSecond?: number }) {
  const run = await startMarketRun(bus, topics, orders)
  let finished = false
  const articles =
    alongside === undefined
      ? undefined
      : readPages(alongside.feeds, 1_000_000, () => finished, alongside.perSecond)
  // Let the reader get going before the clock starts.
  if (articles !== undefined) await new Promise(resolve => setTimeout(resolve, 1_000))
  const sent = await run.flood()
  finished = true
  const reading = await articles
  await run.stop()
  return { tradesPerSecond: sent.trades / sent.seconds, reading }
}

console.log(
  `article benchmark: ${pages} pages; trades ${orders} orders × ${symbols.length} symbols; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}`
)
const feeds = await startFakeFeeds()
try {
  const alone = await readPages(feeds, pages)
  console.log(
    `article reader alone (8 at a time)     ${alone.done} pages (${alone.extracted} extracted) in ${alone.seconds.toFixed(2)} s = ${(alone.done / alone.seconds).toFixed(1)} pages/s; extraction ${alone.extractMs.toFixed(1)} ms/page in the worker`
  )
  await withScratchTopics(async (bus, topics) => {
    // Interleaved rounds, medians reported: on a shared machine one run proves little.
    const runs: Record<string, number[]> = { alone: [], flat: [], paced: [] }
    for (let round = 1; round <= rounds; round++) {
      for (const [key, alongside] of [
        ['alone', undefined],
        ['flat', { feeds }],
        ['paced', { feeds, perSecond: 1 }]
      ] as const) {
        const run = await trades(bus, topics, alongside)
        runs[key]?.push(run.tradesPerSecond)
        const r = run.reading
        console.log(
          `round ${round} ${labels[key]} ${Math.round(run.tradesPerSecond).toLocaleString('en').padStart(7)} trades/s` +
            (r === undefined
              ? ''
              : `  (meanwhile ${r.done} pages, ${(r.done / r.seconds).toFixed(1)} pages/s)`)
        )
      }
    }
    const median = (values: number[]): number =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const base = median(runs.alone ?? [])
    for (const key of ['alone', 'flat', 'paced'] as const) {
      const value = median(runs[key] ?? [])
      console.log(
        `median   ${labels[key]} ${Math.round(value).toLocaleString('en').padStart(7)} trades/s (${((value / base) * 100).toFixed(0)} % of no articles)`
      )
    }
  })
} finally {
  await feeds.close()
}
