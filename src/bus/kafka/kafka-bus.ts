/** The bus over Apache Kafka: an idempotent producer (acks=all, compressed batches) and group consumers. */
import {
  CompressionAlgorithms,
  ProduceAcks,
  Producer,
  compressionsAlgorithms,
  stringSerializer
} from '@platformatic/kafka'
import type { Logger } from 'pino'
import { CryptoVizError, ErrorCodes, describeError } from '../../errors/errors.ts'
import type { Bus, BusRecord, SubscribeOptions, Subscription } from '../bus.ts'
import { keyHash } from '../partitioner.ts'
import { GroupConsumer } from './group-consumer.ts'
import { isUnknownTopic } from './kafka-errors.ts'
import { KafkaInspector } from './kafka-inspector.ts'
import { type KafkaConnection, baseOptions, brokerTopic } from './kafka-options.ts'

// zstd comes with Node >= 23.8's zlib; older runtimes fall back to gzip, which every broker reads.
const compression = compressionsAlgorithms.zstd.available
  ? CompressionAlgorithms.ZSTD
  : CompressionAlgorithms.GZIP

export class KafkaBus implements Bus {
  readonly inspector: KafkaInspector
  readonly #connection: KafkaConnection
  readonly #log: Logger
  readonly #consumers = new Set<GroupConsumer>()
  #producer: Producer<string, Buffer, string, string> | undefined
  #closed = false

  constructor(connection: KafkaConnection, log: Logger) {
    this.#connection = connection
    this.#log = log.child({ component: 'kafka-bus' })
    this.inspector = new KafkaInspector(connection)
  }

  #getProducer(): Producer<string, Buffer, string, string> {
    this.#producer ??= new Producer({
      ...baseOptions(this.#connection, 'producer'),
      idempotent: true,
      acks: ProduceAcks.ALL,
      compression,
      // Same placement as the Java client and as the embedded log (partitioner.ts); the client
      // takes the remainder modulo the partition count once it has the topic's metadata.
      partitioner: (_message, key) => keyHash(key ?? Buffer.alloc(0)),
      serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer }
    })
    return this.#producer
  }

  async publish(records: readonly BusRecord[]): Promise<void> {
    if (this.#closed) throw new CryptoVizError(ErrorCodes.BUS_CLOSED, 'publish after the bus was closed')
    if (records.length === 0) return
    try {
      await this.#getProducer().send({
        messages: records.map(record => ({
          topic: brokerTopic(this.#connection, record.topic),
          key: record.key,
          value: typeof record.value === 'string' ? Buffer.from(record.value) : record.value,
          ...(record.headers === undefined ? {} : { headers: record.headers })
        }))
      })
    } catch (error) {
      if (isUnknownTopic(error)) {
        // Not retryable: with auto-create off, a missing topic stays missing until someone creates it.
        throw new CryptoVizError(
          ErrorCodes.BUS_UNKNOWN_TOPIC,
          `${describeError(error)} Kafka at ${this.#connection.servers.join(',')} has no such topic; ` +
            'topics are declared in src/schemas/topics.ts and created by `crypto-viz topics`',
          { cause: error }
        )
      }
      throw new CryptoVizError(
        ErrorCodes.BUS_PUBLISH,
        `publishing ${records.length} record(s) to Kafka at ${this.#connection.servers.join(',')} failed: ${describeError(error)}`,
        { cause: error, retryable: true }
      )
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.#closed) throw new CryptoVizError(ErrorCodes.BUS_CLOSED, 'subscribe after the bus was closed')
    const consumer = new GroupConsumer(this.#connection, options, this.#log)
    await consumer.start()
    this.#consumers.add(consumer)
    return {
      groupId: consumer.groupId,
      assignments: () => consumer.assignments(),
      close: async () => {
        this.#consumers.delete(consumer)
        await consumer.close()
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await Promise.all([...this.#consumers].map(consumer => consumer.close()))
    this.#consumers.clear()
    await this.#producer
      ?.close()
      .catch(error => this.#log.warn({ err: describeError(error) }, 'producer close failed'))
    await this.inspector.close()
  }
}
