/** Times on the command line: RFC 3339 / ISO dates, epoch seconds, `now`, or relative (`now-2h`, `now-90m`, `now-7d`). */
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseTimeArg(name: string, value: string, now = Date.now()): number {
  const text = value.trim()
  if (text === 'now') return now
  const relative = /^(?:now)?-(\d+(?:\.\d+)?)([smhd])$/.exec(text)
  if (relative !== null) return now - Number(relative[1]) * (units[relative[2] ?? 's'] ?? 1_000)
  if (/^\d{9,10}$/.test(text)) return Number(text) * 1000
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed)) {
    throw new CryptoVizError(
      ErrorCodes.USAGE,
      `--${name} ${JSON.stringify(value)} is not a time: use 2025-11-10T14:00Z, epoch seconds, now, or now-2h / now-90m / now-7d`
    )
  }
  return parsed
}
