/**
 * A dead letter: the original record's bytes unchanged, with why it was rejected and where it came
 * from in headers, published to `deadletter` keyed by the original key. Nothing is lost: the value
 * can be fixed and replayed onto its origin topic.
 */
import type { BusRecord, ConsumedRecord } from './bus.ts'
import { TopicNames } from '../schemas/topics.ts'

export const DeadLetterHeaders = {
  reason: 'x-dead-letter-reason',
  errorCode: 'x-dead-letter-code',
  originTopic: 'x-origin-topic',
  originPartition: 'x-origin-partition',
  originOffset: 'x-origin-offset',
  failedBy: 'x-failed-by',
  failedAt: 'x-failed-at'
} as const

export function deadLetter(
  origin: ConsumedRecord,
  failure: { reason: string; code: string; failedBy: string }
): BusRecord {
  return {
    topic: TopicNames.deadLetter,
    key: origin.key ?? '',
    value: origin.value,
    headers: {
      ...origin.headers,
      [DeadLetterHeaders.reason]: failure.reason.slice(0, 1000),
      [DeadLetterHeaders.errorCode]: failure.code,
      [DeadLetterHeaders.originTopic]: origin.topic,
      [DeadLetterHeaders.originPartition]: String(origin.partition),
      [DeadLetterHeaders.originOffset]: origin.offset.toString(),
      [DeadLetterHeaders.failedBy]: failure.failedBy,
      [DeadLetterHeaders.failedAt]: new Date().toISOString()
    }
  }
}
