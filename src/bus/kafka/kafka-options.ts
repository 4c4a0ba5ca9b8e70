/** Connection options shared by the Kafka producer, consumers and admin client. */
import type { Config } from '../../config/config.ts'

export interface KafkaConnection {
  servers: readonly string[]
  clientId: string
  /**
   * TOPIC_PREFIX: put before every topic name on the broker, so that several deployments or test
   * runs share one cluster without reading each other's records. The pipeline keeps the logical
   * names of src/schemas/topics.ts; only this adapter sees the prefixed ones. Absent means none.
   */
  topicPrefix?: string
}

export function kafkaConnection(config: Config): KafkaConnection {
  return {
    servers: config.kafka.servers,
    clientId: config.kafka.clientId,
    topicPrefix: config.kafka.topicPrefix
  }
}

/** The broker's name of a logical topic (`rawtrade` → `<prefix>rawtrade`). */
export function brokerTopic(connection: KafkaConnection, logical: string): string {
  return `${connection.topicPrefix ?? ''}${logical}`
}

/** The logical name of a broker topic, or undefined when it is not under this connection's prefix. */
export function logicalTopic(connection: KafkaConnection, broker: string): string | undefined {
  const prefix = connection.topicPrefix ?? ''
  return broker.startsWith(prefix) ? broker.slice(prefix.length) : undefined
}

export function baseOptions(connection: KafkaConnection, suffix: string) {
  return {
    clientId: `${connection.clientId}-${suffix}`,
    bootstrapBrokers: [...connection.servers],
    // Connection attempts fail fast; callers that must wait (start-up, producers' buffer) own the retry loop.
    connectTimeout: 5_000,
    timeout: 30_000,
    retries: 3,
    retryDelay: 250
  }
}
