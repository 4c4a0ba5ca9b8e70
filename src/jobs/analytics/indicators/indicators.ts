/**
 * Technical indicators over a series of candle closes, each returning its value at the series' last
 * point (undefined while the series is too short). Definitions follow the `technicalindicators`
 * library, which the tests use as the reference: EMA seeded with the SMA of its first `period`
 * values, RSI with Wilder's smoothing, Bollinger bands and standard deviations over the population
 * (÷ n). Unlike the library, RSI is not rounded to two decimals.
 */

export function sma(values: readonly number[], period: number): number | undefined {
  if (values.length < period) return undefined
  let sum = 0
  for (let i = values.length - period; i < values.length; i++) sum += values[i] as number
  return sum / period
}

export function ema(values: readonly number[], period: number): number | undefined {
  if (values.length < period) return undefined
  const k = 2 / (period + 1)
  let sum = 0
  for (let i = 0; i < period; i++) sum += values[i] as number
  let value = sum / period
  for (let i = period; i < values.length; i++) value = ((values[i] as number) - value) * k + value
  return value
}

export function rsi(values: readonly number[], period: number): number | undefined {
  if (values.length < period + 1) return undefined
  let gain = 0
  let loss = 0
  for (let i = 1; i <= period; i++) {
    const change = (values[i] as number) - (values[i - 1] as number)
    if (change > 0) gain += change
    else loss -= change
  }
  gain /= period
  loss /= period
  for (let i = period + 1; i < values.length; i++) {
    const change = (values[i] as number) - (values[i - 1] as number)
    gain = (gain * (period - 1) + (change > 0 ? change : 0)) / period
    loss = (loss * (period - 1) + (change < 0 ? -change : 0)) / period
  }
  if (loss === 0) return 100
  if (gain === 0) return 0
  return 100 - 100 / (1 + gain / loss)
}

/** Population standard deviation of the last `period` values. */
export function stdDev(values: readonly number[], period: number): number | undefined {
  const mean = sma(values, period)
  if (mean === undefined) return undefined
  let sum = 0
  for (let i = values.length - period; i < values.length; i++) sum += ((values[i] as number) - mean) ** 2
  return Math.sqrt(sum / period)
}

export interface Bands {
  upper: number
  middle: number
  lower: number
}

export function bollinger(values: readonly number[], period: number, width: number): Bands | undefined {
  const middle = sma(values, period)
  const deviation = stdDev(values, period)
  if (middle === undefined || deviation === undefined) return undefined
  return { upper: middle + width * deviation, middle, lower: middle - width * deviation }
}

/**
 * Rolling volatility: the standard deviation of the last `period` log returns ln(cₜ / cₜ₋₁), per
 * candle interval (not annualised: multiply by √(candles per year) to compare across intervals).
 */
export function volatility(values: readonly number[], period: number): number | undefined {
  if (values.length < period + 1) return undefined
  const returns: number[] = []
  for (let i = values.length - period; i < values.length; i++) {
    returns.push(Math.log((values[i] as number) / (values[i - 1] as number)))
  }
  return stdDev(returns, period)
}
