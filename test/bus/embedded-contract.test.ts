/** The bus contract against the embedded log, each test in its own temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Bus } from '../../src/bus/bus.ts'
import { EmbeddedBus, type EmbeddedTopic } from '../../src/bus/embedded/embedded-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { busContract } from './contract.ts'

busContract({
  name: 'embedded',
  fixture: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cv-bus-contract-'))
    const topics: EmbeddedTopic[] = []
    const buses: Bus[] = []
    return {
      topics: async (partitions, ...prefixes) => {
        const names = prefixes.map(prefix => `t-${prefix}`)
        topics.push(...names.map(name => ({ name, partitions, retentionMs: 3_600_000 })))
        return names
      },
      open: async () => {
        const bus = await EmbeddedBus.open({ dir, topics, log: silentLogger() })
        buses.push(bus)
        return bus
      },
      dispose: async () => {
        await Promise.all(buses.map(bus => bus.close()))
        await rm(dir, { recursive: true, force: true })
      }
    }
  }
})
