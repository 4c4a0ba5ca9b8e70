/**
 * A progress bar on stderr (stdout stays clean for pipes): redrawn in place on a terminal, a line
 * per 10 % otherwise (logs, CI), with rate and time left.
 */
export interface ProgressBar {
  update(fraction: number, label: string, count: number): void
  done(summary: string): void
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  const started = Date.now()
  let lastDecile = -1
  const line = (fraction: number, label: string, count: number): string => {
    const f = Math.min(1, Math.max(0, fraction))
    const filled = Math.round(f * width)
    const elapsed = (Date.now() - started) / 1000
    const rate = elapsed > 0 ? count / elapsed : 0
    const eta = f > 0 ? (elapsed / f) * (1 - f) : Number.NaN
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(1).padStart(5)}%  ${label}  ${count.toLocaleString('en')} records  ${rate.toFixed(0)}/s  ETA ${duration(eta)}`
  }
  return {
    update(fraction, label, count) {
      if (stream.isTTY) {
        stream.write(`\r${line(fraction, label, count)}\x1b[K`)
        return
      }
      const decile = Math.floor(Math.min(1, fraction) * 10)
      if (decile > lastDecile) {
        lastDecile = decile
        stream.write(`${line(fraction, label, count)}\n`)
      }
    },
    done(summary) {
      stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${summary}\n`)
    }
  }
}
