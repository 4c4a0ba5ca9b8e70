/**
 * News impact recomputed from the API's one-minute candles by the definition (docs/impact.md), for
 * the tests that check what the API and the dashboard show: p0 = close of the latest candle starting
 * in the 24 h before the publication minute, p_h = close of the latest starting before
 * floor_minute(published + h), return = p_h / p0 − 1 at 12 decimals, rounded half to even, with
 * BigInts. Shares no code with src/.
 */
import { getJson } from './api.ts'

const MINUTE = 60_000
const DAY = 1440 * MINUTE

export interface ApiCandle {
  bucket: string
  close: string
}

/** p / q − 1 at 12 decimals, rounded half to even, from decimal texts. */
export function exactReturn(p: string, q: string): string {
  const scale = Math.max(p.split('.')[1]?.length ?? 0, q.split('.')[1]?.length ?? 0)
  const units = (text: string): bigint => {
    const [whole = '0', fraction = ''] = text.split('.')
    return BigInt(whole + fraction.padEnd(scale, '0'))
  }
  const numerator = (units(p) - units(q)) * 10n ** 12n
  const denominator = units(q)
  const negative = numerator < 0n
  const abs = negative ? -numerator : numerator
  let quotient = abs / denominator
  const twice = 2n * (abs - quotient * denominator)
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n
  const digits = quotient.toString().padStart(13, '0')
  return `${negative && quotient !== 0n ? '-' : ''}${digits.slice(0, -12)}.${digits.slice(-12)}`
}

/** The return `minutes` after `publishedAt` on these candles; undefined without a close before. */
export function returnOnCandles(
  candles: readonly ApiCandle[],
  publishedAt: string,
  minutes: number
): string | undefined {
  const start = Math.floor(Date.parse(publishedAt) / MINUTE) * MINUTE
  const end = Math.floor((Date.parse(publishedAt) + minutes * MINUTE) / MINUTE) * MINUTE
  const closeBefore = (limit: number): string | undefined =>
    candles.filter(c => Date.parse(c.bucket) < limit && Date.parse(c.bucket) >= start - DAY).at(-1)?.close
  const p0 = closeBefore(start)
  const pH = closeBefore(end)
  return p0 === undefined || pH === undefined ? undefined : exactReturn(pH, p0)
}

/**
 * The newest 1,000 one-minute candles /api/candles serves for a symbol before `minutes` after a
 * publication (its largest page): enough for the closes the return reads unless trading stopped
 * for most of the day before.
 */
export async function candlesAround(
  api: string,
  symbol: string,
  publishedAt: string,
  minutes: number
): Promise<ApiCandle[]> {
  const to = new Date(Date.parse(publishedAt) + minutes * MINUTE).toISOString()
  const { status, body } = await getJson<{ candles: ApiCandle[] }>(
    api,
    `/api/candles?symbol=${encodeURIComponent(symbol)}&interval=1m&to=${to}&limit=1000`
  )
  if (status !== 200) throw new Error(`/api/candles answered ${status}: ${JSON.stringify(body)}`)
  return body.candles
}
