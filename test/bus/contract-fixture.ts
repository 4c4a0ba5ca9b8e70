/**
 * What the bus contract suite (contract.ts) needs from an implementation under test, and small
 * helpers its tests share: a member that records what it handled, and waiting on it.
 */
import type {
  Bus,
  ConsumedRecord,
  SubscribeOptions,
  Subscription,
  TopicPartition
} from '../../src/bus/bus.ts'
import { waitFor } from '../helpers/wait.ts'

export interface BusFixture {
  /** Topics unique to the calling test, `partitions` each. Call before `open`. */
  topics(partitions: number, ...prefixes: string[]): Promise<string[]>
  /**
   * A bus over the fixture's storage (the same broker, or the same folder): opening one after
   * closing the previous one is a restart. The fixture closes whatever the test leaves open.
   */
  open(): Promise<Bus>
  dispose(): Promise<void>
}

export interface ContractTarget {
  name: string
  fixture(): Promise<BusFixture>
  /** Contract tests this implementation does not run, each with the reason (hono's pattern). */
  skip?: readonly { reason: string; tests: readonly string[] }[]
}

/** Long enough for a real broker's group join and rebalance on a busy shared machine. */
export const GROUP_TIMEOUT_MS = 45_000

export interface Recorder {
  subscription: Subscription
  records: ConsumedRecord[]
  /** Every `onAssigned` call, in order. */
  assignedCalls: TopicPartition[][]
  values(): string[]
}

export async function record(
  bus: Bus,
  options: Omit<SubscribeOptions, 'handler'> & { handler?: SubscribeOptions['handler'] }
): Promise<Recorder> {
  const records: ConsumedRecord[] = []
  const assignedCalls: TopicPartition[][] = []
  const subscription = await bus.subscribe({
    ...options,
    onAssigned: async partitions => {
      assignedCalls.push([...partitions])
      await options.onAssigned?.(partitions)
    },
    handler: async batch => {
      await options.handler?.(batch)
      records.push(...batch)
    }
  })
  return { subscription, records, assignedCalls, values: () => records.map(r => r.value.toString()) }
}

export function waitForValues(
  recorder: Recorder,
  count: number,
  what = `${count} records`
): Promise<string[]> {
  return waitFor(
    what,
    () => (recorder.records.length >= count ? recorder.values() : undefined),
    GROUP_TIMEOUT_MS
  )
}

/** Waits until the subscription owns exactly `count` partitions. */
export function waitForAssignments(
  subscription: Subscription,
  count: number
): Promise<readonly TopicPartition[]> {
  return waitFor(
    `${count} partitions assigned`,
    () => (subscription.assignments().length === count ? subscription.assignments() : undefined),
    GROUP_TIMEOUT_MS
  )
}

export function label(tp: TopicPartition): string {
  return `${tp.topic}/${tp.partition}`
}
