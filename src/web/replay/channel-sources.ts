/**
 * Which stored history replays each live channel, read through the REST API and emitted in the live
 * protocol's shapes: candles (and their indicators) when their bucket closes, trades, articles and
 * alerts at their own times, sentiment index points when their hour closes. Tickers and pipeline
 * heartbeats have no stored history, so they do not replay (views fall back on candles).
 */
import { replayBoundary } from '../data/feed.ts'
import { getJson } from '../data/rest.ts'
import type { Alert, Article, CandlesPage, LiveEvent, SentimentPoint, Trade } from '../data/types.ts'
import { IndicatorNames } from '../chart/indicator-names.ts'
import { type Interval } from '../../contract/vocabulary.ts'
import { intervalMs, isInterval, toIso, toMs } from '../lib/time.ts'
import type { Timed, WindowFetcher, WindowResult } from './windowed-source.ts'

const HOUR = 3_600_000
const event = (channel: string, key: string, data: unknown, interval?: string): LiveEvent => ({
  type: 'event',
  channel,
  key,
  storedAt: new Date().toISOString(),
  data,
  ...(interval === undefined ? {} : { interval })
})

export interface SourcePlan {
  /** The channels this source feeds (candles also feed their indicators). */
  channels: string[]
  start: number
  span: number
  fetch: WindowFetcher
}

function candlesPlan(symbol: string, interval: Interval, at: number): SourcePlan {
  const size = intervalMs[interval]
  const candles = `candles:${symbol}:${interval}`
  const indicators = `indicators:${symbol}:${interval}`
  return {
    channels: [candles, indicators],
    start: replayBoundary(at, interval),
    span: 1000 * size,
    async fetch(from, to, signal) {
      const page = await getJson<CandlesPage>(
        '/api/candles',
        {
          symbol,
          interval,
          from: toIso(from),
          to: toIso(to),
          limit: 1000,
          indicators: IndicatorNames.join(',')
        },
        signal
      )
      const values = new Map<string, Record<string, number>>()
      for (const [name, points] of Object.entries(page.indicators ?? {}))
        for (const point of points) {
          const time = toMs(point.bucket)
          values.set(String(time), { ...values.get(String(time)), [name]: point.value })
        }
      const items: Timed[] = []
      for (const candle of page.candles) {
        const bucket = toMs(candle.bucket)
        items.push({ at: bucket + size, event: event(candles, symbol, [candle], interval) })
        const named = values.get(String(bucket))
        if (named !== undefined)
          items.push({
            at: bucket + size,
            event: event(indicators, symbol, [{ bucket: candle.bucket, values: named }], interval)
          })
      }
      const last = page.candles[page.candles.length - 1]
      return { items, reached: page.nextCursor !== null && last !== undefined ? toMs(last.bucket) + 1 : to }
    }
  }
}

/**
 * Lists served newest first (trades, articles, alerts): a window holding more than a page keeps its
 * newest page (the tape shows a sample at high speed) and the next window is made shorter.
 */
function newestFirstPlan<T>(options: {
  channel: string
  at: number
  span: number
  read: (from: string, to: string, signal: AbortSignal) => Promise<{ items: T[]; more: boolean }>
  toTimed: (item: T) => Timed
}): SourcePlan {
  const plan: SourcePlan = {
    channels: [options.channel],
    start: options.at,
    span: options.span,
    async fetch(from, to, signal): Promise<WindowResult> {
      const { items, more } = await options.read(toIso(from), toIso(to), signal)
      plan.span = more ? Math.max(1_000, plan.span / 4) : Math.min(options.span * 8, plan.span * 2)
      return { items: items.map(options.toTimed), reached: to }
    }
  }
  return plan
}

function tradesPlan(symbol: string, at: number): SourcePlan {
  const channel = `trades:${symbol}`
  return newestFirstPlan<Trade>({
    channel,
    at,
    span: 10 * 60_000,
    read: async (from, to, signal) => {
      const page = await getJson<{ trades: Trade[]; nextCursor: string | null }>(
        '/api/trades',
        { symbol, from, to, limit: 500 },
        signal
      )
      return { items: page.trades, more: page.nextCursor !== null }
    },
    toTimed: trade => ({ at: toMs(trade.ts), event: event(channel, symbol, [trade]) })
  })
}

function articlesPlan(at: number): SourcePlan {
  return newestFirstPlan<Article>({
    channel: 'articles',
    at,
    span: 24 * HOUR,
    read: async (from, to, signal) => {
      const page = await getJson<{ articles: Article[]; nextCursor: string | null }>(
        '/api/articles',
        { from, to, limit: 200 },
        signal
      )
      return { items: page.articles, more: page.nextCursor !== null }
    },
    // Played as the live channel sends it: without the moves after it, which were not known yet.
    toTimed: ({ impact: _impact, ...article }) => ({
      at: toMs(article.publishedAt),
      event: event('articles', article.id, article)
    })
  })
}

function alertsPlan(at: number): SourcePlan {
  return newestFirstPlan<Alert>({
    channel: 'alerts',
    at,
    span: 24 * HOUR,
    read: async (from, to, signal) => {
      const page = await getJson<{ alerts: Alert[]; nextCursor: string | null }>(
        '/api/alerts',
        { from, to, limit: 200 },
        signal
      )
      return { items: page.alerts, more: page.nextCursor !== null }
    },
    toTimed: alert => ({ at: toMs(alert.eventTs), event: event('alerts', alert.symbol, alert) })
  })
}

function sentimentPlan(coin: string, at: number): SourcePlan {
  const channel = `sentiment:${coin}`
  return {
    channels: [channel],
    start: replayBoundary(at, '1h'),
    span: 1000 * HOUR,
    async fetch(from, to, signal) {
      const page = await getJson<{ points: SentimentPoint[]; nextCursor: string | null }>(
        '/api/sentiment',
        { coin, interval: '1h', from: toIso(from), to: toIso(to), limit: 1000 },
        signal
      )
      const items = page.points.map(point => ({
        at: toMs(point.bucket) + HOUR,
        event: event(channel, coin, [{ ...point, code: coin, interval: '1h' }], '1h')
      }))
      const last = page.points[page.points.length - 1]
      return { items, reached: page.nextCursor !== null && last !== undefined ? toMs(last.bucket) + 1 : to }
    }
  }
}

/** The source that replays `channel`, or undefined for channels without stored history. */
export function planFor(channel: string, at: number): SourcePlan | undefined {
  const [kind, first, second] = channel.split(':')
  if ((kind === 'candles' || kind === 'indicators') && first !== undefined && isInterval(second))
    return candlesPlan(first, second, at)
  if (kind === 'trades' && first !== undefined) return tradesPlan(first, at)
  if (kind === 'articles') return articlesPlan(at)
  if (kind === 'alerts' && first === undefined) return alertsPlan(at)
  if (kind === 'sentiment' && first !== undefined) return sentimentPlan(first, at)
  return undefined
}

/** Channels served by one source share it: indicators come with their candles. */
export function sourceKey(channel: string): string {
  return channel.startsWith('indicators:') ? `candles:${channel.slice('indicators:'.length)}` : channel
}
