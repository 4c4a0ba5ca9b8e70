/**
 * Opens the bus the configuration asks for and makes sure it is usable.
 *
 * - Kafka (BUS=kafka, or BUS=auto with KAFKA_SERVERS set): waits for the broker (saying so) and
 *   creates the declared topics idempotently, as the original system did at start-up, so nothing
 *   has to be set up by hand.
 * - Embedded (BUS=embedded, or BUS=auto without KAFKA_SERVERS): opens the in-process log under
 *   DATA_DIR/embedded/bus with the declared topics, recovering whatever a previous run left there.
 */
import { join } from 'node:path'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log/logger.ts'
import type { Bus } from './bus.ts'
import { EmbeddedBus } from './embedded/embedded-bus.ts'
import { KafkaBus } from './kafka/kafka-bus.ts'
import { kafkaConnection } from './kafka/kafka-options.ts'
import { ensureTopics } from './kafka/topic-admin.ts'
import { declaredTopics } from '../schemas/topics.ts'

export type BusKind = 'kafka' | 'embedded'

/** `auto` means Kafka exactly when KAFKA_SERVERS was given: its default alone does not pick Kafka. */
export function busKind(config: Pick<Config, 'bus' | 'kafka'>): BusKind {
  if (config.bus.kind !== 'auto') return config.bus.kind
  return config.kafka.configured ? 'kafka' : 'embedded'
}

export function embeddedBusDir(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'embedded', 'bus')
}

export async function createBus(config: Config, log: Logger): Promise<Bus> {
  return busKind(config) === 'kafka' ? createKafkaBus(config, log) : createEmbeddedBus(config, log)
}

async function createEmbeddedBus(config: Config, log: Logger): Promise<Bus> {
  const dir = embeddedBusDir(config)
  const bus = await EmbeddedBus.open({
    dir,
    topics: declaredTopics(config.topics).map(({ name, partitions, retentionMs }) => ({
      name,
      partitions,
      retentionMs
    })),
    retentionBytes: config.bus.embeddedRetentionBytes,
    log
  })
  log.info({ dir }, 'embedded bus ready')
  return bus
}

async function createKafkaBus(config: Config, log: Logger): Promise<Bus> {
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
