/**
 * Kraken's REST fixtures (test/fixtures/kraken, copied from shared/fixtures/kraken-format): 1,000
 * consecutive XBTUSDT trades and Kraken's own one-minute candles for the same hours. Numbers are read
 * losslessly: a trade's time keeps all its digits in the RFC 3339 text.
 */
import { readFileSync } from 'node:fs'
import { isLosslessNumber, parse } from 'lossless-json'
import type { TradeV1 } from '../../src/schemas/trade.v1.ts'

const dir = new URL('../fixtures/kraken/', import.meta.url)

function lexeme(value: unknown): string {
  if (isLosslessNumber(value)) return value.value
  if (typeof value === 'string') return value
  throw new Error(`not a number: ${JSON.stringify(value)}`)
}

function result(file: string): unknown[][] {
  const body = parse(readFileSync(new URL(file, dir), 'utf8')) as { result: Record<string, unknown> }
  const key = Object.keys(body.result).find(k => k !== 'last') ?? ''
  return body.result[key] as unknown[][]
}

/** "1762795433.9717445" (float seconds) → "2025-11-10T17:23:53.9717445Z", digits kept. */
export function secondsToRfc3339(seconds: string): string {
  const [whole = '0', fraction] = seconds.split('.')
  const base = new Date(Number(whole) * 1000).toISOString().slice(0, 19)
  return fraction === undefined ? `${base}Z` : `${base}.${fraction}Z`
}

export function krakenTrades(symbol = 'BTC/USDT'): TradeV1[] {
  return result('http_trades.json').map(row => {
    const time = secondsToRfc3339(lexeme(row[2]))
    return {
      v: 1,
      type: 'trade',
      exchange: 'kraken',
      symbol,
      tradeId: Number(lexeme(row[6])),
      price: lexeme(row[0]),
      qty: lexeme(row[1]),
      side: row[3] === 'b' ? 'buy' : 'sell',
      ordType: row[4] === 'm' ? 'market' : 'limit',
      exchangeTs: time,
      receivedAt: time,
      source: 'rest'
    }
  })
}

export interface KrakenCandle {
  /** Unix seconds of the minute's start. */
  time: number
  open: string
  high: string
  low: string
  close: string
  vwap: string
  volume: string
  count: number
}

export function krakenCandles(): KrakenCandle[] {
  return result('http_ohlc.json').map(row => ({
    time: Number(lexeme(row[0])),
    open: lexeme(row[1]),
    high: lexeme(row[2]),
    low: lexeme(row[3]),
    close: lexeme(row[4]),
    vwap: lexeme(row[5]),
    volume: lexeme(row[6]),
    count: Number(lexeme(row[7]))
  }))
}
