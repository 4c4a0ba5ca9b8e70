/** A bare WebSocket client for protocol tests: send text, wait for frames matching a predicate. */
import WebSocket from 'ws'
import { waitFor } from './wait.ts'

export interface RawSocket {
  readonly frames: string[]
  send(value: unknown): void
  /** Resolves with the first frame (seen from `from` on) for which `match` holds. */
  next(match: (frame: string) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<string>
  closed(): Promise<number>
  close(): void
}

export async function openRaw(url: string): Promise<RawSocket> {
  const socket = new WebSocket(url)
  const frames: string[] = []
  let closeCode: number | undefined
  socket.on('message', data => frames.push(data.toString()))
  socket.on('close', code => (closeCode = code))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    frames,
    send: value => socket.send(typeof value === 'string' ? value : JSON.stringify(value)),
    next: (match, { from = 0, timeoutMs = 5_000 } = {}) =>
      waitFor('a matching frame', () => frames.slice(from).find(match), timeoutMs, 10),
    closed: () => waitFor('close', () => closeCode, 5_000, 10),
    close: () => socket.close()
  }
}
