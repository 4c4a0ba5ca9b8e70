/** Live events within one process (embedded mode, tests of pure logic). */
import type { LiveEvent, LiveEvents, LiveHandler } from './live-events.ts'

export class MemoryLiveEvents implements LiveEvents {
  readonly #handlers = new Set<LiveHandler>()

  async publish(events: readonly LiveEvent[]): Promise<void> {
    for (const event of events) for (const handler of this.#handlers) handler(event)
  }

  async subscribe(handler: LiveHandler): Promise<{ close(): Promise<void> }> {
    this.#handlers.add(handler)
    return {
      close: async () => {
        this.#handlers.delete(handler)
      }
    }
  }

  async close(): Promise<void> {
    this.#handlers.clear()
  }
}
