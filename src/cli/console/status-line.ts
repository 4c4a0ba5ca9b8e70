/**
 * The one status line of `npm start`: events per second per topic, the producers' connections,
 * consumer lag and uptime, e.g.
 *
 *   ▶ replay │ trades 14/s  tickers 6.0/s  articles 4.2/min  alerts 0/s │ Kraken ●  news ● │ lag 0 │ up 2m05s
 *
 * Pure: a snapshot in, text out, cut to the width available (whole segments are dropped from the
 * right, so it never wraps and redraws cleanly in place).
 */
import type { SourceState, SourceStatus } from '../../ops/source-status.ts'

export interface TopicRate {
  /** Shown name: trades, tickers, articles, alerts, … */
  label: string
  perSec: number
  /** Records in the topic so far (end offsets). */
  total: number
}

export interface StatusSnapshot {
  mode: 'live' | 'replay' | null
  topics: readonly TopicRate[]
  kraken: SourceStatus | null
  news: SourceStatus | null
  /** Records the consumer groups have not committed yet; null before the first commit. */
  lag: number | null
  uptimeMs: number
  /** The start-up history fill while it loads ("history 12/30"). */
  history?: string | undefined
}

interface Piece {
  text: string
  colour?: string
}

export interface RenderOptions {
  width: number
  paint?: (code: string, text: string) => string
}

const stateLook: Record<SourceState, { mark: string; colour: string; word?: string }> = {
  connected: { mark: '●', colour: '32' },
  connecting: { mark: '…', colour: '36', word: 'connecting' },
  reconnecting: { mark: '↻', colour: '33', word: 'reconnecting' },
  unreachable: { mark: '✗', colour: '31', word: 'unreachable' },
  degraded: { mark: '◐', colour: '33' }
}

export function formatRate(perSec: number): string {
  if (perSec === 0) return '0/s'
  if (perSec < 1) return `${Math.max(0.1, perSec * 60).toFixed(perSec * 60 < 10 ? 1 : 0)}/min`
  if (perSec < 10) return `${perSec.toFixed(1)}/s`
  if (perSec < 10_000) return `${Math.round(perSec)}/s`
  return `${(perSec / 1000).toFixed(1)}k/s`
}

export function formatCount(n: number): string {
  if (n < 10_000) return String(n)
  if (n < 10_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`
  return `${(n / 1_000_000).toFixed(1)}M`
}

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`
  return `${sec}s`
}

// Connected says nothing more (the narrative told the details once); anything else names the state.
function source(name: string, status: SourceStatus | null): Piece[] {
  if (status === null) return []
  const look = stateLook[status.state]
  const word = look.word ?? (status.state === 'degraded' ? (status.detail.split(';')[0] ?? '') : '')
  return [
    { text: `${name} ` },
    { text: look.mark, colour: look.colour },
    ...(word === '' ? [] : [{ text: ` ${word}`, colour: look.colour }])
  ]
}

/** Segments in order of importance, so the least important fall off a narrow terminal first. */
function segments(s: StatusSnapshot): Piece[][] {
  // A green "live" only while the market is flowing: offline, a live-mode line must not look healthy.
  const marketFlowing = s.kraken === null || s.kraken.state === 'connected'
  const mode: Piece[] =
    s.mode === 'replay'
      ? [{ text: '▶ replay', colour: '35' }]
      : s.mode === 'live'
        ? [marketFlowing ? { text: '● live', colour: '32' } : { text: '○ live', colour: '33' }]
        : [{ text: '●', colour: '2' }]
  const rates = s.topics.flatMap((t, i): Piece[] => [
    { text: `${i === 0 ? '' : '  '}${t.label} ` },
    { text: formatRate(t.perSec), ...(t.perSec > 0 ? { colour: '1' } : {}) }
  ])
  const sources = [
    ...source('Kraken', s.kraken),
    ...(s.kraken && s.news ? [{ text: '  ' }] : []),
    ...source('news', s.news)
  ]
  const history: Piece[] = s.history === undefined ? [] : [{ text: s.history, colour: '36' }]
  const lag: Piece[] = [{ text: `lag ${s.lag === null ? '–' : formatCount(s.lag)}` }]
  const up: Piece[] = [{ text: `up ${formatUptime(s.uptimeMs)}`, colour: '2' }]
  return [mode, rates, sources, history, lag, up].filter(segment => segment.length > 0)
}

export function renderStatusLine(snapshot: StatusSnapshot, options: RenderOptions): string {
  const paint = options.paint ?? ((_code: string, text: string) => text)
  const separator = ' │ '
  let width = 0
  const kept: Piece[][] = []
  for (const segment of segments(snapshot)) {
    const length = segment.reduce((sum, piece) => sum + [...piece.text].length, 0)
    const extra = kept.length === 0 ? length : length + separator.length
    if (width + extra > options.width) break
    kept.push(segment)
    width += extra
  }
  return kept
    .map(segment => segment.map(p => (p.colour === undefined ? p.text : paint(p.colour, p.text))).join(''))
    .join(paint('2', separator))
}
