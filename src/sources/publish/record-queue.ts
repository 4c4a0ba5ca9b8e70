/**
 * A FIFO of records with O(1) push and batch removal from the head (Array#shift is O(n), which
 * matters with a few hundred thousand records buffered during a broker outage).
 */
import type { BusRecord } from '../../bus/bus.ts'
import type { PublishOutcome } from './buffered-publisher.ts'

export interface QueuedRecord {
  readonly record: BusRecord
  readonly onDone: ((outcome: PublishOutcome) => void) | undefined
}

export class RecordQueue {
  #items: QueuedRecord[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(record: BusRecord, onDone: ((outcome: PublishOutcome) => void) | undefined): void {
    this.#items.push({ record, onDone })
  }

  /** The oldest `count` entries, left in place until `drop`. */
  peek(count: number): QueuedRecord[] {
    return this.#items.slice(this.#head, this.#head + count)
  }

  drop(count: number): void {
    this.#head = Math.min(this.#items.length, this.#head + count)
    // Reclaim the consumed prefix once it dominates, keeping the amortised cost per record constant.
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
  }

  takeAll(): QueuedRecord[] {
    const rest = this.#items.slice(this.#head)
    this.#items = []
    this.#head = 0
    return rest
  }
}
