/**
 * REST reads from the API. Every failure becomes an ApiRequestError that says what to show the user
 * (unreachable, rate limited, the API's own message); every outcome is reported to `restHealth`, so
 * the shell can tell "the API is down" from "this one request failed".
 */
import { Emitter } from '../lib/emitter.ts'

export class ApiRequestError extends Error {
  readonly status: number
  /** True when the API did not answer at all (down, network cut, timeout). */
  readonly unreachable: boolean
  constructor(message: string, status: number, unreachable: boolean) {
    super(message)
    this.name = 'ApiRequestError'
    this.status = status
    this.unreachable = unreachable
  }
}

export const restHealth = new Emitter<{ outcome: { ok: boolean } }>()

const TIMEOUT_MS = 15_000

export type Query = Record<string, string | number | undefined>

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value))
  const text = params.toString()
  return text === '' ? path : `${path}?${text}`
}

async function errorOf(response: Response): Promise<ApiRequestError> {
  let message = `the API answered ${response.status}`
  try {
    const body = (await response.json()) as { message?: unknown }
    if (typeof body.message === 'string') message = body.message
  } catch {
    // Not the API's JSON error body (a proxy's page, say): keep the status line.
  }
  // 502–504 come from whatever stands in front of a stopped API: that is the API being away.
  return new ApiRequestError(message, response.status, response.status >= 502 && response.status <= 504)
}

export async function getJson<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS)
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
  let response: Response
  try {
    response = await fetch(withQuery(path, query), {
      signal: combined,
      headers: { accept: 'application/json' }
    })
  } catch (error) {
    if (signal?.aborted === true) throw error
    restHealth.emit('outcome', { ok: false })
    throw new ApiRequestError(
      timeout.aborted ? 'the API did not answer in time' : 'the API is unreachable',
      0,
      true
    )
  }
  if (!response.ok) {
    const error = await errorOf(response)
    restHealth.emit('outcome', { ok: !error.unreachable })
    throw error
  }
  restHealth.emit('outcome', { ok: true })
  return (await response.json()) as T
}
