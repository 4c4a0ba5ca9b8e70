/**
 * How far the start-up history fill got, per (symbol, interval): the time of the last candle
 * Kraken called committed (`last` of REST OHLC), in DATA_DIR/history/kraken-ohlc.json, written
 * atomically after each series the bus acknowledged. The next start asks only for what came after
 * it (`since`), so an interrupted fill resumes and a restart after a gap fetches just the gap
 * (Kraken keeps the 720 most recent candles: a gap longer than that is filled as far as it can be).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export interface HistoryCheckpoint {
  /** "BTC/USD 1" → last committed candle, epoch seconds. */
  series: Record<string, number>
}

export const seriesKey = (symbol: string, interval: number): string => `${symbol} ${interval}`

export function historyCheckpointPath(dataDir: string): string {
  return join(dataDir, 'history', 'kraken-ohlc.json')
}

/** The saved checkpoint; an absent or unreadable file is a first start (the fill is idempotent). */
export async function readHistoryCheckpoint(path: string): Promise<HistoryCheckpoint> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
    const series = (parsed as { series?: unknown } | null)?.series
    if (typeof series !== 'object' || series === null) return { series: {} }
    return {
      series: Object.fromEntries(
        Object.entries(series).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])
        )
      )
    }
  } catch {
    return { series: {} }
  }
}

export async function writeHistoryCheckpoint(path: string, checkpoint: HistoryCheckpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`)
  await rename(temporary, path)
}
