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

export interface Macd {
  macd: number
  /** Undefined until `signal` MACD values exist. */
  signal: number | undefined
  histogram: number | undefined
}

/**
 * MACD at the series' last point: EMA(fast) − EMA(slow) of the closes (both seeded with their SMA, as
 * `ema` above), its signal line an EMA(signal) of the MACD values from the first point where both
 * EMAs exist, and the histogram MACD − signal. The `technicalindicators` MACD with
 * `SimpleMAOscillator` and `SimpleMASignal` false computes the same (the tests compare them).
 */
export function macd(
  values: readonly number[],
  fast: number,
  slow: number,
  signal: number
): Macd | undefined {
  if (values.length < slow) return undefined
  const kFast = 2 / (fast + 1)
  const kSlow = 2 / (slow + 1)
  const kSignal = 2 / (signal + 1)
  let fastEma = 0
  let slowEma = 0
  let line = 0
  let signalSum = 0
  let signalEma: number | undefined
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number
    // Each EMA starts as the SMA of its first `period` values (a sum until then).
    if (i < fast) fastEma = i === fast - 1 ? (fastEma + value) / fast : fastEma + value
    else fastEma = (value - fastEma) * kFast + fastEma
    if (i < slow) slowEma = i === slow - 1 ? (slowEma + value) / slow : slowEma + value
    else slowEma = (value - slowEma) * kSlow + slowEma
    if (i < slow - 1) continue
    line = fastEma - slowEma
    const n = i - (slow - 1) + 1
    if (n < signal) signalSum += line
    else if (n === signal) signalEma = (signalSum + line) / signal
    else if (signalEma !== undefined) signalEma = (line - signalEma) * kSignal + signalEma
  }
  return {
    macd: line,
    signal: signalEma,
    histogram: signalEma === undefined ? undefined : line - signalEma
  }
}
