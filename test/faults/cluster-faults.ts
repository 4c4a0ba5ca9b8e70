/**
 * The faults of the three-broker run: the broker leading the busiest rawtrade partitions killed
 * with SIGKILL and started again, then a second broker stopped gracefully (controlled shutdown) and
 * started again. While a broker is down, the doctor must say so: `during` records what it reported.
 */
import { Admin } from '@platformatic/kafka'
import { TopicNames } from '../../src/schemas/topics.ts'
import type { Config } from '../../src/config/config.ts'
import { brokerCheck } from '../../src/doctor/check-broker.ts'
import { topicsCheck } from '../../src/doctor/check-topics.ts'
import { type CheckResult, runDoctor } from '../../src/doctor/doctor.ts'
import { doctorContext } from '../../src/doctor/doctor-context.ts'
import type { Fault } from './faults.ts'
import type { PrivateStack } from './private-stack.ts'

const hold = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export interface ClusterFault extends Fault {
  /** The doctor's broker and topics lines while the broker was down ('' until then). */
  during: string
}

/** The doctor's broker and topics checks, in-process, against the cluster. */
async function doctorLines(config: Config): Promise<CheckResult[]> {
  const context = doctorContext(config, { timeoutMs: 20_000 })
  try {
    return (await runDoctor(context, [brokerCheck, topicsCheck])).results
  } finally {
    await context.bus.close()
  }
}

/** The broker leading the most records of rawtrade (the busiest partitions: the trades' leader). */
async function busiestLeader(servers: string): Promise<number> {
  const admin = new Admin({ clientId: 'crypto-viz-faults', bootstrapBrokers: servers.split(',') })
  try {
    const metadata = await admin.metadata({ topics: [TopicNames.trade], forceUpdate: true })
    const partitions = metadata.topics.get(TopicNames.trade)?.partitions ?? []
    const [ends] = await admin.listOffsets({
      topics: [
        {
          name: TopicNames.trade,
          partitions: partitions.map((_, partitionIndex) => ({ partitionIndex, timestamp: -1n }))
        }
      ]
    })
    const records = new Map<number, bigint>()
    for (const partition of ends?.partitions ?? []) {
      const leader = partitions[partition.partitionIndex]?.leader ?? -1
      records.set(leader, (records.get(leader) ?? 0n) + partition.offset)
    }
    const [leader] = [...records].filter(([id]) => id >= 0).sort((a, b) => (b[1] > a[1] ? 1 : -1))[0] ?? [1]
    return leader
  } finally {
    await admin.close()
  }
}

export function clusterFaults(t: { stack: PrivateStack; config: Config; outageMs: number }): ClusterFault[] {
  let killed = 0
  // Waits until the doctor sees the broker gone (it is fenced once its session times out) and
  // keeps what it said.
  const observe = async (fault: ClusterFault, id: number): Promise<void> => {
    for (let attempt = 0; attempt < 240; attempt++) {
      const results = await doctorLines(t.config).catch(() => [])
      const broker = results.find(r => r.check === 'broker')
      const topics = results.find(r => r.check === 'topics')
      if (broker?.verdict === 'warn' && new RegExp(`broker\\(s\\) ${id} missing`).test(broker.summary)) {
        const replicas = /under-replicated|offline|below min\.insync/.exec(topics?.summary ?? '')?.[0]
        if (replicas !== undefined) {
          fault.during = `broker ${broker.verdict.toUpperCase()} (broker ${id} missing), topics ${topics?.verdict.toUpperCase()} (${replicas})`
          return
        }
      }
      await hold(500)
    }
    fault.during = 'not reported'
  }
  const kill: ClusterFault = {
    name: 'Kafka leader killed (-9) and restarted',
    during: '',
    async inject() {
      killed = await busiestLeader(t.stack.kafkaServers)
      const pid = t.stack.kafkaPid(killed)
      if (pid === undefined) throw new Error(`no pid for Kafka node ${killed}`)
      process.kill(pid, 'SIGKILL')
      await Promise.all([observe(kill, killed), hold(t.outageMs)])
    },
    async repair() {
      t.stack.infra('start', `kafka-${killed}`)
    }
  }
  let stopped = 0
  const stop: ClusterFault = {
    name: 'second Kafka broker stopped and restarted',
    during: '',
    async inject() {
      stopped = killed === 1 ? 2 : 1
      t.stack.infra('stop', `kafka-${stopped}`)
      await Promise.all([observe(stop, stopped), hold(t.outageMs)])
    },
    async repair() {
      t.stack.infra('start', `kafka-${stopped}`)
    }
  }
  return [kill, stop]
}
