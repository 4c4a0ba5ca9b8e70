/**
 * Recognising the client's "that topic does not exist" among its errors. The client raises a
 * UserError with only a message for a topic missing from the broker's metadata (there is no
 * dedicated code), or the broker's UNKNOWN_TOPIC_OR_PARTITION protocol error; both mean the same to
 * us, so the text match is kept here, in one place.
 */
import { findErrorBy } from '@platformatic/kafka'

export function isUnknownTopic(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (findErrorBy(error, 'apiId', 'UNKNOWN_TOPIC_OR_PARTITION') !== null) return true
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (/^Unknown topic /.test(cause.message)) return true
    cause = cause.cause
  }
  return false
}
