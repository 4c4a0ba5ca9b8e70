/**
 * Live channel names, as clients subscribe to them (docs/api.md "Live push"):
 *
 *   tickers             every symbol's ticker      tickers:BTC/USD            one symbol's
 *   trades              every symbol's trades      trades:BTC/USD             one symbol's
 *   candles:BTC/USD:1m  one symbol's candles at one interval (as they form and close)
 *   indicators:BTC/USD:1m
 *   articles            new articles (with coins and sentiment when known)
 *   sentiment           every coin's index         sentiment:BTC              one coin's ("*": market)
 *   impact              every symbol's news moves  impact:BTC/USD             one symbol's
 *   alerts              every alert                alerts:BTC/USD             one symbol's (or coin's)
 *   pipeline            stage heartbeats (up/down, checks) as they arrive
 *
 * An event is delivered on every name that matches it (routesFor), so "trades" and
 * "trades:BTC/USD" subscribers both receive a BTC/USD trade.
 */
import type { LiveEvent } from '../../live-events/live-events.ts'
import { Intervals } from '../../contract/vocabulary.ts'

const SYMBOL = /^[A-Z0-9]{1,16}\/[A-Z0-9]{1,16}$/
const COIN = /^([A-Z0-9]{2,12}|\*)$/
const ALERT_KEY = /^([A-Z0-9]{1,16}\/[A-Z0-9]{1,16}|[A-Z0-9]{2,12}|\*)$/
const intervals = new Set<string>(Intervals)

/** The forms each channel accepts, for the welcome message and error texts. */
export const channelForms = [
  'tickers',
  'tickers:<SYMBOL>',
  'trades',
  'trades:<SYMBOL>',
  'candles:<SYMBOL>:<INTERVAL>',
  'indicators:<SYMBOL>:<INTERVAL>',
  'articles',
  'sentiment',
  'sentiment:<COIN|*>',
  'impact',
  'impact:<SYMBOL>',
  'alerts',
  'alerts:<SYMBOL|COIN|*>',
  'pipeline'
] as const

/** Undefined when `name` is a valid channel, else what is wrong with it. */
export function channelProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length > 64)
    return 'a channel name is a string of at most 64 characters'
  const [kind, first, second, ...rest] = name.split(':')
  if (rest.length > 0) return `too many parts in "${name}"`
  const symbolAndInterval = (): string | undefined =>
    first === undefined || !SYMBOL.test(first)
      ? `"${name}" needs a symbol like BTC/USD: ${kind}:<SYMBOL>:<INTERVAL>`
      : second === undefined || !intervals.has(second)
        ? `"${name}" needs an interval, one of ${Intervals.join(', ')}`
        : undefined
  const optional = (pattern: RegExp, what: string): string | undefined =>
    second !== undefined
      ? `too many parts in "${name}"`
      : first === undefined || pattern.test(first)
        ? undefined
        : `"${first}" is not ${what}`
  switch (kind) {
    case 'tickers':
    case 'trades':
    case 'impact':
      return optional(SYMBOL, 'a symbol like BTC/USD')
    case 'candles':
    case 'indicators':
      return symbolAndInterval()
    case 'sentiment':
      return optional(COIN, 'a coin code like BTC, or *')
    case 'alerts':
      return optional(ALERT_KEY, 'a symbol like BTC/USD, a coin code like BTC, or *')
    case 'articles':
    case 'pipeline':
      return first === undefined ? undefined : `"${kind}" takes no qualifier`
    default:
      return `unknown channel "${name}"; channels are ${channelForms.join(', ')}`
  }
}

/** Every channel name on which `event` is delivered. */
export function routesFor(event: LiveEvent): string[] {
  switch (event.channel) {
    case 'trades':
    case 'tickers':
    case 'sentiment':
    case 'impact':
    case 'alerts':
      return [event.channel, `${event.channel}:${event.key}`]
    case 'candles':
    case 'indicators':
      return [`${event.channel}:${event.key}:${event.interval ?? ''}`]
    case 'articles':
    case 'pipeline':
      return [event.channel]
  }
}
