/**
 * `npm run bench:web`: the dashboard's two figures, measured in Debian's Chromium (headless).
 *
 * 1. Time to first meaningful render on localhost: navigation start → the first candles drawn
 *    (the page's own `cv:first-candles` performance mark, set in the animation frame after the
 *    chart's first paint), for the symbol view's default 500 candles; first visit (cold cache)
 *    and repeat visits (warm), plus the same with 100,000 candles.
 * 2. Frame time while 50 live updates a second arrive (each a trade for the tape and the forming
 *    candle for the chart, over the real WebSocket) with 100,000 candles loaded: the deltas between
 *    requestAnimationFrame callbacks over ~10 s, as p50/p95/p99/max.
 *
 * The API is the real server (routes, cache, live hub) over PostgreSQL; candles are inserted with
 * SQL (100,000 minutes ≈ 69 days), and live events go through the in-memory live-events port so
 * that other processes on a shared Redis cannot add traffic to the measurement. Flags:
 * --candles N, --seconds S, --rate R (updates per second), --runs N.
 */
import { availableParallelism, cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { MemoryLiveEvents } from '../src/live-events/memory-live-events.ts'
import { startTestApi } from '../test/helpers/api.ts'
import { createTestDatabase } from '../test/helpers/db.ts'
import { dashboardRoot, ensureDashboardBuilt, openBrowser } from '../test/helpers/web.ts'

const { values: flags } = parseArgs({
  options: {
    candles: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '50' },
    runs: { type: 'string', default: '5' }
  }
})
const CANDLES = Number(flags.candles)
const SECONDS = Number(flags.seconds)
const RATE = Number(flags.rate)
const RUNS = Number(flags.runs)
const SYMBOL = 'BENCH/USD'
const MINUTE = 60_000

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
const median = (values: number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50
  )
const ms = (value: number): string => `${value.toFixed(1)} ms`

ensureDashboardBuilt()
const database = await createTestDatabase()
const live = new MemoryLiveEvents()
// Candles end at the current minute, so the live updates extend the series at its right edge.
const lastBucket = Math.floor(Date.now() / MINUTE) * MINUTE
await database.db.query(
  `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume, vwap, trades,
                        buy_volume, sell_volume, first_trade_id, last_trade_id)
   select $1, '1m', b, o, greatest(o, c) + 4, least(o, c) - 4, c, v, v * c, c, 12, v / 2, v / 2, i * 12, i * 12 + 11
     from (select i, to_timestamp(($2::bigint - ($3::bigint - i) * 60000) / 1000.0) as b,
                  round((50000 + 3000 * sin(i / 900.0) + 400 * sin(i / 37.0) + 60 * sin(i * 1.7))::numeric, 1) as o,
                  round((50000 + 3000 * sin((i + 1) / 900.0) + 400 * sin((i + 1) / 37.0) + 60 * sin(i * 2.3))::numeric, 1) as c,
                  round((1 + abs(sin(i * 0.77)) * 9)::numeric, 4) as v
             from generate_series(1, $3::int) as i) as s`,
  [SYMBOL, lastBucket, CANDLES]
)
const api = await startTestApi({
  db: database.db,
  cache: 'memory',
  live,
  staticRoot: dashboardRoot,
  env: { API_PAGE_SIZE_MAX: String(Math.max(1000, CANDLES)) }
})
const browser = await openBrowser()
const version = browser.context.browser()?.version() ?? 'unknown'
const base = `${api.url}/#/symbol/${encodeURIComponent(SYMBOL)}?interval=1m`

async function firstRender(history: number): Promise<number> {
  const page = await browser.page()
  await page.goto(`${base}&history=${history}`)
  await page.waitForFunction(`performance.getEntriesByName('cv:first-candles').length > 0`, undefined, {
    timeout: 120_000
  })
  const at = Number(await page.evaluate(`performance.getEntriesByName('cv:first-candles')[0].startTime`))
  await page.close()
  return at
}

try {
  process.stdout.write(
    `bench:web  os.availableParallelism() = ${availableParallelism()}, ${cpus()[0]?.model ?? 'cpu'}, ` +
      `Node ${process.version}, Chromium ${version} (headless), ${CANDLES.toLocaleString('en')} candles, ` +
      `load average ${loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}\n\n`
  )
  const cold = await firstRender(500)
  const warm: number[] = []
  for (let i = 1; i < RUNS; i++) warm.push(await firstRender(500))
  const big: number[] = []
  for (let i = 0; i < Math.max(1, Math.floor(RUNS / 2)); i++) big.push(await firstRender(CANDLES))
  process.stdout.write(
    `time to first candles, 500 candles:   first visit ${ms(cold)}, repeat visits median ${ms(median(warm))} (${warm.map(ms).join(', ')})\n`
  )
  process.stdout.write(
    `time to first candles, ${CANDLES.toLocaleString('en')} candles: median ${ms(median(big))} (${big.map(ms).join(', ')})\n`
  )

  const page = await browser.page()
  await page.goto(`${base}&history=${CANDLES}`)
  await page.waitForFunction(
    `Number(document.querySelector('[data-testid="price-chart"]')?.dataset.bars) >= ${CANDLES}`,
    undefined,
    { timeout: 120_000 }
  )
  await page.waitForFunction(`document.querySelector('[data-testid="connection"]').dataset.state === 'live'`)
  await page.waitForTimeout(1_000)
  const measureFrames = async (seconds: number): Promise<number[]> =>
    (
      (await page.evaluate(`new Promise(resolve => {
      const deltas = []
      let last = performance.now()
      const end = last + ${seconds * 1000}
      const frame = now => {
        deltas.push(now - last)
        last = now
        if (now < end) requestAnimationFrame(frame)
        else resolve(deltas)
      }
      requestAnimationFrame(frame)
    })`)) as number[]
    )
      .slice(1)
      .sort((a, b) => a - b)
  const summary = (sorted: number[]): string =>
    `${sorted.length} frames, p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, ` +
    `p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? NaN)}, ${sorted.filter(d => d > 1000 / 30).length} over 33 ms`
  // Main-thread time (tasks, script, layout, style) from the renderer's own counters: what the page
  // costs, less sensitive than frame times to other processes taking the CPU.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const counters = async (): Promise<Map<string, number>> =>
    new Map(
      (
        (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
      ).metrics.map(m => [m.name, m.value])
    )
  const busy = async <T>(work: () => Promise<T>): Promise<{ result: T; text: string }> => {
    const before = await counters()
    const started = performance.now()
    const result = await work()
    const after = await counters()
    const seconds = (performance.now() - started) / 1000
    const share = (name: string): string =>
      `${((((after.get(name) ?? 0) - (before.get(name) ?? 0)) / seconds) * 100).toFixed(1)} %`
    return {
      result,
      text:
        `main thread busy ${share('TaskDuration')} of the time (script ${share('ScriptDuration')}, ` +
        `layout ${share('LayoutDuration')}, style ${share('RecalcStyleDuration')})`
    }
  }
  const idle = await busy(() => measureFrames(Math.min(5, SECONDS)))
  process.stdout.write(
    `frame time with no updates (baseline), ${CANDLES.toLocaleString('en')} candles loaded: ${summary(idle.result)}; ${idle.text}\n`
  )
  let tick = 0
  let close = 50_000
  const timer = setInterval(() => {
    tick++
    close += Math.sin(tick / 7) * 6
    const now = new Date()
    const bucket = new Date(lastBucket + Math.floor(tick / (RATE * 2)) * MINUTE).toISOString()
    const storedAt = now.toISOString()
    const price = close.toFixed(1)
    void live.publish([
      {
        channel: 'trades',
        key: SYMBOL,
        storedAt,
        data: [
          {
            symbol: SYMBOL,
            tradeId: 10_000_000 + tick,
            price,
            qty: '0.125',
            side: tick % 2 === 0 ? 'buy' : 'sell',
            ts: storedAt
          }
        ]
      },
      {
        channel: 'candles',
        key: SYMBOL,
        interval: '1m',
        storedAt,
        data: [
          {
            symbol: SYMBOL,
            interval: '1m',
            bucket,
            open: '50000.0',
            high: (close + 20).toFixed(1),
            low: (close - 20).toFixed(1),
            close: price,
            volume: (tick / 100).toFixed(3),
            quoteVolume: ((tick / 100) * close).toFixed(1),
            vwap: price,
            trades: tick,
            buyVolume: '0',
            sellVolume: '0'
          }
        ]
      }
    ])
  }, 1000 / RATE)
  await page.waitForTimeout(1_000)
  const measured = await busy(() => measureFrames(SECONDS))
  const frames = measured.result
  clearInterval(timer)
  const delivered = await page.evaluate(`document.querySelectorAll('[data-testid="trades-tape"] li').length`)
  process.stdout.write(
    `frame time, ${RATE} updates/s (a trade and the forming candle each), ${CANDLES.toLocaleString('en')} candles loaded: ` +
      `${summary(frames)}; ${measured.text}; ${tick} updates sent, ${String(delivered)} tape rows shown\n`
  )
  process.stdout.write(
    `load average at the end: ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}\n`
  )
  await page.close()
} finally {
  await browser.close()
  await api.close()
  await live.close()
  await database.drop()
}
