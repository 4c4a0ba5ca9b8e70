/**
 * Opens the bus the configuration asks for and makes sure it is usable: for Kafka, waits for the
 * broker (saying so) and creates the declared topics idempotently, as the original system did at
 * start-up, so nothing has to be set up by hand.
 */
import type { Config } from '../config/config.ts'
import type { Logger } from '../log/logger.ts'
import type { Bus } from './bus.ts'
import { KafkaBus } from './kafka/kafka-bus.ts'
import { kafkaConnection } from './kafka/kafka-options.ts'
import { ensureTopics } from './kafka/topic-admin.ts'
import { declaredTopics } from './topics.ts'

export async function createBus(config: Config, log: Logger): Promise<Bus> {
  const connection = kafkaConnection(config)
  log.info({ servers: connection.servers, timeoutMs: config.kafka.readyTimeoutMs }, 'waiting for Kafka')
  const reports = await ensureTopics(connection, declaredTopics(config.topics), {
    readyTimeoutMs: config.kafka.readyTimeoutMs,
    log,
    onWait: (attempt, lastError) => log.info({ attempt, lastError }, 'Kafka not reachable yet; retrying')
  })
  for (const report of reports.filter(r => r.outcome === 'mismatch')) {
    log.warn({ topic: report.name, problems: report.problems }, 'topic differs from its declaration')
  }
  log.info({ topics: reports.map(r => `${r.name}:${r.outcome}`) }, 'Kafka ready')
  return new KafkaBus(connection, log)
}
