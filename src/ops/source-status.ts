/**
 * The producers' connection to the outside world, in one small vocabulary shared by whoever shows
 * it: the producers put it in their health checks (`kraken`, `news-feeds`: `data.connection`, and
 * `data.mode`), the heartbeats carry it to the API (/api/pipeline `sources`, for the dashboard's
 * banner) and the terminal of `npm start` reads it from the same checks. Offline is the normal case
 * on a machine without internet, so "unreachable" is a state of its own with a clear next step.
 */
import type { CheckResult } from './health.ts'

export type SourceState = 'connected' | 'connecting' | 'reconnecting' | 'unreachable' | 'degraded'

export interface SourceStatus {
  state: SourceState
  /** One line: "12 streams live", "getaddrinfo ENOTFOUND ws.kraken.com", "2/8 feeds failing". */
  detail: string
}

export interface SourcesStatus {
  /** live: Kraken and the news sites; replay: bundled data through in-process fake servers. */
  mode: 'live' | 'replay' | null
  kraken: SourceStatus | null
  news: SourceStatus | null
  /** A sentence for a banner when live data is not coming in, else null. */
  notice: string | null
}

export const REPLAY_HINT = 'run `npm start -- --replay` to play bundled data offline'

// DNS failure, refused or timed-out connections, no route: the host cannot be reached at all (as
// opposed to a connection that worked and then dropped).
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|handshake has timed out|getaddrinfo/i

export function looksUnreachable(error: string | undefined): boolean {
  return error !== undefined && UNREACHABLE.test(error)
}

function isSourceStatus(value: unknown): value is SourceStatus {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.state === 'string' && typeof v.detail === 'string'
}

function connectionOf(check: CheckResult | undefined): SourceStatus | null {
  const connection = check?.data?.connection
  return isSourceStatus(connection) ? connection : null
}

/** What a banner should say, or null while data flows (or no producer runs here). */
export function sourceNotice(
  kraken: SourceStatus | null,
  news: SourceStatus | null,
  mode: SourcesStatus['mode']
): string | null {
  if (kraken?.state === 'unreachable')
    return `Kraken is unreachable (${kraken.detail}): no live market data; retrying with backoff.${mode === 'replay' ? '' : ' Offline? Run "npm start -- --replay" to play bundled data.'}`
  if (kraken?.state === 'reconnecting')
    return `The connection to Kraken was lost (${kraken.detail}); reconnecting.`
  if (news?.state === 'unreachable')
    return `The news feeds are unreachable (${news.detail}); retrying with backoff.`
  return null
}

/** Reads the producers' checks (of one process, or merged from several heartbeats). */
export function readSources(checks: Readonly<Record<string, CheckResult>>): SourcesStatus {
  const kraken = connectionOf(checks.kraken)
  const news = connectionOf(checks['news-feeds'])
  const modes = [checks.kraken?.data?.mode, checks['news-feeds']?.data?.mode]
  const mode = modes.includes('replay') ? 'replay' : modes.includes('live') ? 'live' : null
  return { mode, kraken, news, notice: sourceNotice(kraken, news, mode) }
}
