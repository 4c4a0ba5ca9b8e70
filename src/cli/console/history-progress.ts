/**
 * The start-up history fill on the terminal (sources/kraken/history-fill.ts, health check
 * `market-history`): a line when it starts, its progress on the status line while it loads
 * ("history 12/30"), and a line when it is done saying how far back each interval now goes, e.g.
 *
 *   ✓ market history from Kraken's OHLC: 21,600 candles (1m 12 h · 15m 7.5 d · 1h 30 d · 1d 2.0 y · 5m 2.5 d) in 31 s
 */
import type { HealthReport } from '../../ops/health.ts'
import { HISTORY_CHECK, type HistoryProgress, intervalLabel } from '../../sources/kraken/history-fill.ts'

/** The fill's progress from a health report, or undefined when no fill runs in this process. */
export function readHistory(checks: HealthReport['checks']): HistoryProgress | undefined {
  const data = checks[HISTORY_CHECK]?.data as Partial<HistoryProgress> | undefined
  if (
    data === undefined ||
    typeof data.state !== 'string' ||
    typeof data.candles !== 'number' ||
    typeof data.series !== 'object' ||
    !Array.isArray(data.intervals)
  )
    return undefined
  return data as HistoryProgress
}

/** How much time `minutes` of candles cover, said the short way: "12 h", "7.5 d", "2.0 y". */
export function formatSpan(minutes: number): string {
  const hours = minutes / 60
  if (hours < 48) return `${Number(hours.toFixed(1))} h`
  const days = hours / 24
  if (days < 365) return `${Number(days.toFixed(1))} d`
  return `${(days / 365).toFixed(1)} y`
}

const grouped = (n: number): string => n.toLocaleString('en')

export function historyStartLine(p: HistoryProgress): string {
  const intervals = p.intervals.map(intervalLabel).join(' ')
  return `loading market history from Kraken's OHLC: ${p.symbols} symbol(s) × ${intervals} (at most 720 candles each)`
}

/** Status-line text while loading, else undefined. */
export function historySegment(p: HistoryProgress | undefined): string | undefined {
  if (p?.state !== 'loading') return undefined
  return `history ${p.series.done + p.series.failed}/${p.series.total}`
}

/** The line saying what was loaded; undefined when nothing was and series failed (a warning says so). */
export function historyDoneLine(p: HistoryProgress): string | undefined {
  const spans = p.intervals
    .filter(minutes => (p.perInterval[String(minutes)] ?? 0) > 0)
    .map(minutes => {
      const perSymbol = (p.perInterval[String(minutes)] ?? 0) / Math.max(1, p.symbols)
      return `${intervalLabel(minutes)} ${formatSpan(perSymbol * minutes)}`
    })
  const seconds =
    p.startedAt !== null && p.finishedAt !== null
      ? Math.max(0, Math.round((Date.parse(p.finishedAt) - Date.parse(p.startedAt)) / 1000))
      : undefined
  const took = seconds === undefined ? '' : ` in ${seconds} s`
  if (p.candles === 0)
    return p.series.failed > 0
      ? undefined
      : `market history up to date (${p.series.skipped} series had nothing new)${took}`
  return `market history from Kraken's OHLC: ${grouped(p.candles)} candles (${spans.join(' · ')})${took}`
}
