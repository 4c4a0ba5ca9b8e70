/** Embedded-bus helpers: a temporary folder per test, and a bus over it with small test topics. */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import {
  EmbeddedBus,
  type EmbeddedBusOptions,
  type EmbeddedTopic
} from '../../src/bus/embedded/embedded-bus.ts'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { uniqueName } from './names.ts'
import { waitFor } from './wait.ts'

/** A fresh folder, removed when the test file ends. */
export async function tempDir(prefix = 'cv-embedded-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

export function topic(name: string, partitions = 1, retentionMs = 3_600_000): EmbeddedTopic {
  return { name, partitions, retentionMs }
}

export function openBus(
  dir: string,
  topics: readonly EmbeddedTopic[],
  options: Partial<Omit<EmbeddedBusOptions, 'dir' | 'topics'>> = {}
): Promise<EmbeddedBus> {
  return EmbeddedBus.open({ dir, topics, log: silentLogger(), ...options })
}

/** The segment files of one partition, oldest first. */
export async function segmentsOf(dir: string, name: string, partition = 0): Promise<string[]> {
  const folder = join(dir, `${name}-${partition}`)
  return (await readdir(folder))
    .filter(file => file.endsWith('.log'))
    .sort()
    .map(file => join(folder, file))
}

/** Every record the bus holds on `topics` now, read by a fresh group from the earliest offset. */
export async function readAll(bus: EmbeddedBus, topics: readonly string[]): Promise<ConsumedRecord[]> {
  const offsets = await bus.inspector.partitionOffsets(topics)
  const expected = offsets.reduce((sum, o) => sum + Number(o.end - o.start), 0)
  const records: ConsumedRecord[] = []
  const subscription = await bus.subscribe({
    groupId: uniqueName('g-read-all'),
    topics,
    handler: async batch => {
      records.push(...batch)
    }
  })
  try {
    await waitFor(`${expected} records`, () => records.length >= expected)
  } finally {
    await subscription.close()
  }
  return records
}
