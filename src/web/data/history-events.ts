/**
 * "The exchange's history has just been loaded": the producer fills recent history from Kraken's
 * OHLC at start-up (its `market-history` check in /api/pipeline), which in live mode takes a few
 * seconds per interval. A view that read its candles before that reads them again when told, so a
 * chart opened in the first seconds still shows the history without a reload of the page.
 */
const HISTORY_LOADED = 'cv:history-loaded'

export function announceHistoryLoaded(): void {
  window.dispatchEvent(new Event(HISTORY_LOADED))
}

/** Calls `handler` each time history finishes loading; returns the way to stop. */
export function onHistoryLoaded(handler: () => void): () => void {
  window.addEventListener(HISTORY_LOADED, handler)
  return () => window.removeEventListener(HISTORY_LOADED, handler)
}

interface Check {
  data?: { state?: unknown; finishedAt?: unknown; candles?: unknown }
}

/** The newest time a producer finished loading some history, from an /api/pipeline body. */
export function historyFinishedAt(body: unknown): number | undefined {
  const stages = (body as { stages?: { instances?: { checks?: Record<string, Check> }[] }[] } | null)?.stages
  let newest: number | undefined
  for (const stage of stages ?? [])
    for (const instance of stage.instances ?? []) {
      const data = instance.checks?.['market-history']?.data
      if (data?.state !== 'done' || typeof data.finishedAt !== 'string') continue
      if (typeof data.candles !== 'number' || data.candles === 0) continue
      const at = Date.parse(data.finishedAt)
      if (Number.isFinite(at) && (newest === undefined || at > newest)) newest = at
    }
  return newest
}
