/** The doctor's view of a Kafka broker, through the admin API with short timeouts and no retries. */
import { connect } from 'node:net'
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka'
import type { GroupPartitionOffsets } from '../bus/bus.ts'
import { KafkaInspector } from '../bus/kafka/kafka-inspector.ts'
import { type KafkaConnection, baseOptions, brokerTopic } from '../bus/kafka/kafka-options.ts'
import { readMinInsync } from '../bus/kafka/topic-admin.ts'
import type { BrokerState, BusProbe, GroupState, TopicState } from './bus-probe.ts'
import { clusterView } from './cluster-view.ts'

/**
 * Whether something accepts a TCP connection at `host:port`. The cluster's metadata lists only the
 * brokers that are registered: a stopped broker without replicas of the pipeline's topics is named
 * nowhere but in KAFKA_SERVERS.
 */
function accepts(server: string, timeoutMs: number): Promise<boolean> {
  const colon = server.lastIndexOf(':')
  const host = server.slice(0, colon).replace(/^\[(.*)\]$/, '$1')
  const port = Number(server.slice(colon + 1))
  return new Promise(resolve => {
    const socket = connect({ host, port, timeout: timeoutMs })
    const done = (answered: boolean): void => {
      socket.destroy()
      resolve(answered)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

export class KafkaProbe implements BusProbe {
  readonly kind = 'kafka'
  readonly where: string
  readonly #admin: Admin
  readonly #inspector: KafkaInspector
  readonly #connection: KafkaConnection
  readonly #timeoutMs: number

  constructor(connection: KafkaConnection, timeoutMs: number) {
    this.where = connection.servers.join(',')
    this.#connection = connection
    this.#timeoutMs = timeoutMs
    // One attempt each: the doctor reports a broker that does not answer, it does not wait for it.
    this.#admin = new Admin({
      ...baseOptions(connection, 'doctor'),
      retries: 0,
      connectTimeout: timeoutMs,
      timeout: timeoutMs
    })
    // Lag through the same client: one connection, the same one-attempt timeouts.
    this.#inspector = new KafkaInspector(connection, this.#admin)
  }

  async reach(): Promise<string> {
    const metadata = await this.#admin.metadata({ topics: [] })
    const brokers = [...metadata.brokers.entries()].map(([id, b]) => `${id}@${b.host}:${b.port}`)
    return `${brokers.length} broker(s) (${brokers.join(', ')}), controller ${metadata.controllerId}`
  }

  async brokers(topics: readonly string[]): Promise<BrokerState> {
    const view = await clusterView(
      this.#admin,
      topics.map(name => this.topicName(name))
    )
    // A broker that is down is no longer registered, but the partitions it holds still name it as
    // a replica: that is how a missing broker shows.
    const named = new Set(
      [...view.topics.values()].flatMap(partitions => partitions.flatMap(p => p.replicas))
    )
    const answers = await Promise.all(
      this.#connection.servers.map(server => accepts(server, this.#timeoutMs))
    )
    return {
      live: [...view.brokers].sort((a, b) => a - b),
      missing: [...named].filter(id => !view.brokers.has(id)).sort((a, b) => a - b),
      silentServers: this.#connection.servers.filter((_, i) => !answers[i])
    }
  }

  topicName(logical: string): string {
    return brokerTopic(this.#connection, logical)
  }

  async topics(names: readonly string[]): Promise<Map<string, TopicState | undefined>> {
    const view = await clusterView(
      this.#admin,
      names.map(name => this.topicName(name))
    )
    // The configs are a second request that a cluster in trouble may not answer; the partitions
    // above are what the doctor must report then, so an unreadable value is only left unknown.
    const minInsync = await readMinInsync(this.#admin, [...view.topics.keys()]).catch(
      () => new Map<string, number>()
    )
    return new Map(
      names.map(name => {
        const partitions = view.topics.get(this.topicName(name))
        if (partitions === undefined) return [name, undefined]
        return [
          name,
          {
            partitions: partitions.length,
            replicationFactor: partitions[0]?.replicas.length ?? 0,
            leaderless: partitions.flatMap((p, index) => (p.leader < 0 ? [index] : [])),
            underReplicated: partitions.flatMap((p, index) =>
              p.isr.length < p.replicas.length
                ? [{ partition: index, inSync: p.isr.length, replicas: p.replicas.length }]
                : []
            ),
            minInsyncReplicas: minInsync.get(this.topicName(name))
          }
        ]
      })
    )
  }

  groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]> {
    return this.#inspector.groupOffsets(groupId, topics)
  }

  async group(groupId: string): Promise<GroupState> {
    const group = (await this.#admin.describeGroups({ groups: [groupId] })).get(groupId)
    return { state: String(group?.state ?? 'unknown'), members: group?.members.size }
  }

  async newestRecords(topics: readonly string[]): Promise<Map<string, number | undefined>> {
    const names = topics.map(topic => this.topicName(topic))
    const metadata = await this.#admin.metadata({ topics: [...names] })
    // MAX_TIMESTAMP (KIP-734): the partition's record with the largest timestamp; -1 when empty.
    const listed = await this.#admin.listOffsets({
      topics: names.map(name => ({
        name,
        partitions: Array.from({ length: metadata.topics.get(name)?.partitionsCount ?? 0 }, (_, p) => ({
          partitionIndex: p,
          timestamp: ListOffsetTimestamps.MAX
        }))
      }))
    })
    return new Map(
      topics.map(name => {
        const stamps = (listed.find(t => t.name === this.topicName(name))?.partitions ?? [])
          .map(p => Number(p.timestamp))
          .filter(ms => ms > 0)
        return [name, stamps.length === 0 ? undefined : Math.max(...stamps)]
      })
    )
  }

  async close(): Promise<void> {
    await this.#admin.close().catch(() => undefined)
  }
}
