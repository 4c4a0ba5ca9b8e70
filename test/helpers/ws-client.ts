/** A real WebSocket client (`ws`) that records every message, for asserting on what the server pushed. */
import WebSocket from 'ws'
import { waitFor } from './wait.ts'

export interface Message {
  type: string
  channel?: string
  data?: unknown
  [key: string]: unknown
}

export interface TestClient {
  socket: WebSocket
  messages: Message[]
  send(message: unknown): void
  /** Resolves with the first recorded message (past or future) that matches. */
  next(match: (message: Message) => boolean, timeoutMs?: number): Promise<Message>
  closed: Promise<{ code: number; reason: string }>
  close(): Promise<void>
}

export async function connect(url: string): Promise<TestClient> {
  const socket = new WebSocket(url)
  const messages: Message[] = []
  socket.on('message', data => messages.push(JSON.parse(data.toString()) as Message))
  const closed = new Promise<{ code: number; reason: string }>(resolve =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  )
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    socket,
    messages,
    send: message => socket.send(JSON.stringify(message)),
    next: (match, timeoutMs = 60_000) =>
      waitFor('a matching live message', () => messages.find(match), timeoutMs, 5),
    closed,
    async close() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close()
      await closed
    }
  }
}

/** Subscribes and waits for the acknowledgement. */
export async function subscribe(client: TestClient, channels: string[]): Promise<void> {
  const id = Math.random().toString(36).slice(2)
  client.send({ op: 'subscribe', channels, id })
  const ack = await client.next(m => m.id === id)
  if (ack.type !== 'subscribed') throw new Error(`subscription refused: ${JSON.stringify(ack)}`)
}
