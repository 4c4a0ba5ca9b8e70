/**
 * The variables of the Kafka topics (names, partitions, replication, retention), merged into the
 * one table of variables.ts. Apart only to keep each file readable in one sitting.
 */
import { integer, optionalText } from './parsers.ts'
import { variable } from './variable.ts'

export const topicVariables = {
  TOPIC_PREFIX: variable(
    optionalText(
      /^[A-Za-z0-9._-]{1,200}$/,
      'empty, or up to 200 letters, digits, dot, underscore or dash (the characters Kafka allows in a topic name)'
    ),
    '',
    "Put before every Kafka topic name (`<prefix>rawtrade`, …), so that several deployments or test runs share one cluster without reading each other's records; e.g. `staging.`. The roles, `crypto-viz topics` and doctor all follow it; the embedded bus ignores it."
  ),
  TOPIC_PARTITIONS: variable(integer(1, 1_000), '3', 'Partitions of each raw topic.'),
  TOPIC_REPLICATION_FACTOR: variable(
    integer(1, 10),
    '1',
    'Replication factor of each topic (1 for a single broker, 3 on a cluster of three).'
  ),
  TOPIC_MIN_INSYNC_REPLICAS: variable(
    integer(1, 10),
    '1',
    "Topics' min.insync.replicas: copies a record must reach before a write succeeds (producers use acks=all); at most TOPIC_REPLICATION_FACTOR. 2 with replication 3 survives one broker down without losing an acknowledged record."
  ),
  TOPIC_RETENTION_HOURS: variable(
    integer(1, 87_600),
    '168',
    'Retention of the raw topics, in hours (default 7 days).'
  ),
  DEAD_LETTER_RETENTION_HOURS: variable(
    integer(1, 87_600),
    '720',
    'Retention of the dead-letter topic, in hours (default 30 days).'
  )
}
