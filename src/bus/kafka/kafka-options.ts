/** Connection options shared by the Kafka producer, consumers and admin client. */
import type { Config } from '../../config/config.ts'

export interface KafkaConnection {
  servers: readonly string[]
  clientId: string
}

export function kafkaConnection(config: Config): KafkaConnection {
  return { servers: config.kafka.servers, clientId: config.kafka.clientId }
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
