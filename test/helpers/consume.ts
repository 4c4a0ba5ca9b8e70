/** Reads topics from the real broker from the beginning until a condition holds (a fresh group each time). */
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { testKafka } from './kafka.ts'
import { uniqueName } from './names.ts'
import { waitFor } from './wait.ts'

export async function consumeUntil(
  topics: readonly string[],
  done: (records: readonly ConsumedRecord[]) => boolean,
  timeoutMs = 30_000
): Promise<ConsumedRecord[]> {
  const bus = new KafkaBus(testKafka, silentLogger())
  const records: ConsumedRecord[] = []
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-check'),
    topics,
    from: 'earliest',
    handler: async batch => {
      records.push(...batch)
    }
  })
  try {
    await waitFor(`records on ${topics.join(',')}`, () => done(records), timeoutMs, 100)
    return records
  } finally {
    await subscription.close()
    await bus.close()
  }
}

/** Consumes until `count` records arrived, then a little longer so that extra (duplicate) records show. */
export async function consumeCount(
  topics: readonly string[],
  count: number,
  timeoutMs = 30_000
): Promise<ConsumedRecord[]> {
  let reachedAt: number | undefined
  return consumeUntil(
    topics,
    records => {
      if (records.length < count) return false
      reachedAt ??= Date.now()
      return Date.now() - reachedAt > 500
    },
    timeoutMs
  )
}
