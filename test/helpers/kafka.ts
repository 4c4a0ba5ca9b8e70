/** Real-broker helpers: the broker the test run started (scripts/infra.sh), unique topics per test. */
import { Admin } from '@platformatic/kafka'
import type { KafkaConnection } from '../../src/bus/kafka/kafka-options.ts'
import { uniqueName } from './names.ts'
import { waitFor } from './wait.ts'

export const testKafka: KafkaConnection = {
  servers: (process.env.KAFKA_SERVERS ?? '127.0.0.1:9092').split(','),
  clientId: 'crypto-viz-test'
}

export async function createTopics(partitions: number, ...prefixes: string[]): Promise<string[]> {
  const names = prefixes.map(prefix => uniqueName(`t-${prefix}`))
  const admin = new Admin({ clientId: 'crypto-viz-test-admin', bootstrapBrokers: [...testKafka.servers] })
  try {
    await admin.createTopics({ topics: [...names], partitions, replicas: 1 })
    // Wait until every partition has a leader, so the first produce does not race the creation.
    for (let attempt = 0; attempt < 40; attempt++) {
      // The client sorts the array it is given in place: pass a copy, keep ours in the caller's order.
      const metadata = await admin.metadata({ topics: [...names], forceUpdate: true }).catch(() => undefined)
      const ready = names.every(n => (metadata?.topics.get(n)?.partitions ?? []).some(p => p.leader >= 0))
      if (ready) break
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  } finally {
    await admin.close()
  }
  return names
}

/** A full set of job topics of its own (trade, ticker, article, alert, ohlc, book, dead letter). */
export async function createJobTopics(partitions: number): Promise<{
  trade: string
  ticker: string
  article: string
  alert: string
  ohlc: string
  book: string
  deadLetter: string
}> {
  const names = await createTopics(partitions, 'trade', 'ticker', 'article', 'alert', 'ohlc', 'book', 'dead')
  const named = (prefix: string): string => names.find(n => n.startsWith(`t-${prefix}-`)) ?? ''
  return {
    trade: named('trade'),
    ticker: named('ticker'),
    article: named('article'),
    alert: named('alert'),
    ohlc: named('ohlc'),
    book: named('book'),
    deadLetter: named('dead')
  }
}

/**
 * Deletes the topics earlier test runs left on the broker (`t-<what>-<time>-<random>`, see
 * uniqueName) once they are older than `olderThanMs`. Tests never delete their topics (a consumer
 * may still be closing), so a developer's broker would otherwise collect thousands of partitions
 * and start ever more slowly. Topics of a run still going (here or in another checkout sharing the
 * broker) are younger than the bound and stay. Resolves with how many were deleted.
 */
export async function pruneTestTopics(olderThanMs: number, now = Date.now()): Promise<number> {
  const admin = new Admin({ clientId: 'crypto-viz-test-admin', bootstrapBrokers: [...testKafka.servers] })
  try {
    const stale = (await admin.listTopics()).filter(name => {
      // A TOPIC_PREFIX test's topics are `<unique name>.<logical name>`.
      const created = /^t-.+-([0-9a-z]{8,9})-[0-9a-f]{6}(\.[a-z]+)?$/.exec(name)?.[1]
      return created !== undefined && now - Number.parseInt(created, 36) > olderThanMs
    })
    for (let i = 0; i < stale.length; i += 100) await admin.deleteTopics({ topics: stale.slice(i, i + 100) })
    return stale.length
  } finally {
    await admin.close()
  }
}

/**
 * The partitions each member of a consumer group holds, as the group coordinator reports them
 * (DescribeGroups): a membership assertion reads this, not whatever traffic a member happens to see.
 * Empty while the group is rebalancing or unknown.
 */
export async function groupAssignment(groupId: string): Promise<Map<string, string[]>> {
  const admin = new Admin({ clientId: 'crypto-viz-test-admin', bootstrapBrokers: [...testKafka.servers] })
  try {
    const group = (await admin.describeGroups({ groups: [groupId] })).get(groupId)
    if (group === undefined || String(group.state).toUpperCase() !== 'STABLE') return new Map()
    return new Map(
      [...group.members.values()].map(member => [
        member.id,
        [...(member.assignments?.values() ?? [])].flatMap(a => a.partitions.map(p => `${a.topic}/${p}`))
      ])
    )
  } finally {
    await admin.close()
  }
}

/** Waits until the coordinator reports `count` members of the group, each holding partitions. */
export async function membersHoldPartitions(groupId: string, count: number, what: string): Promise<void> {
  await waitFor(
    what,
    async () => {
      const members = [...(await groupAssignment(groupId)).values()]
      return members.length === count && members.every(partitions => partitions.length > 0)
    },
    120_000,
    100
  )
}
