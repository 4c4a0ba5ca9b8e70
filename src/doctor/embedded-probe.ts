/**
 * The doctor's view of the embedded bus: its folder, read without the lock (folder-inspector.ts),
 * so it works the same whether `npm start` is running (and holds the lock) or not. Whether a
 * process has the bus open is read from the LOCK file and that process being alive.
 */
import { access } from 'node:fs/promises'
import type { GroupPartitionOffsets } from '../bus/bus.ts'
import { FolderInspector, lockHolder } from '../bus/embedded/folder-inspector.ts'
import { processAlive } from '../lib/process-alive.ts'
import type { BrokerState, BusProbe, GroupState, TopicState } from './bus-probe.ts'

export class EmbeddedProbe implements BusProbe {
  readonly kind = 'embedded'
  readonly where: string
  readonly #inspector: FolderInspector

  constructor(dir: string) {
    this.where = dir
    this.#inspector = new FolderInspector(dir)
  }

  /** The pid of the live process that has the bus open, if one has. */
  async owner(): Promise<number | undefined> {
    const pid = await lockHolder(this.where)
    return pid !== undefined && processAlive(pid) ? pid : undefined
  }

  async reach(): Promise<string> {
    await access(this.where)
    const pid = await this.owner()
    return pid === undefined
      ? `embedded bus folder ${this.where} (no process has it open)`
      : `embedded bus folder ${this.where}, open in process ${pid}`
  }

  /** One process, one folder: there is no broker to go missing. */
  async brokers(): Promise<BrokerState> {
    return { live: [], missing: [], silentServers: [] }
  }

  topicName(logical: string): string {
    return logical
  }

  async topics(names: readonly string[]): Promise<Map<string, TopicState | undefined>> {
    const counts = await this.#inspector.partitionCounts(names)
    return new Map(
      names.map(name => {
        const partitions = counts.get(name) ?? 0
        return [
          name,
          partitions === 0
            ? undefined
            : { partitions, replicationFactor: 1, leaderless: [], underReplicated: [] }
        ]
      })
    )
  }

  groupOffsets(groupId: string, topics: readonly string[]): Promise<GroupPartitionOffsets[]> {
    return this.#inspector.groupOffsets(groupId, topics)
  }

  async group(): Promise<GroupState> {
    // Embedded groups live inside the process that has the bus open: running, or not.
    const pid = await this.owner()
    return { state: pid === undefined ? 'no process running' : `in process ${pid}`, members: undefined }
  }

  async newestRecords(topics: readonly string[]): Promise<Map<string, number | undefined>> {
    const partitions = await this.#inspector.partitions(topics)
    return new Map(
      topics.map(topic => {
        const stamps = partitions.filter(p => p.topic === topic).flatMap(p => p.newestMs ?? [])
        return [topic, stamps.length === 0 ? undefined : Math.max(...stamps)]
      })
    )
  }

  async close(): Promise<void> {}
}
