/** Third check: every declared topic exists with its partitions, replication and a leader each. */
import { describeError } from '../../errors/errors.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'

export const topicsCheck: DoctorCheck = {
  name: 'topics',
  async run({ bus, topics, timeoutMs, facts }) {
    if (facts.busReachable !== true) return finding('skip', 'the bus is not reachable')
    let states
    try {
      states = await within(timeoutMs, 'the topic listing', bus.topics(topics.map(t => t.name)))
    } catch (error) {
      return finding('fail', `could not list topics: ${describeError(error)}`, {
        fix: 'read the broker log (.data/logs/kafka.log, or docker logs crypto_viz_kafka)'
      })
    }
    const details: string[] = []
    const problems: string[] = []
    let grow = false
    for (const spec of topics) {
      const state = states.get(spec.name)
      const name = bus.topicName(spec.name)
      if (state === undefined) {
        problems.push(`${name} is missing`)
        details.push(`${name}: missing`)
        continue
      }
      const wrong: string[] = []
      if (state.partitions !== spec.partitions) {
        wrong.push(`${state.partitions} partitions, declared ${spec.partitions}`)
        grow ||= state.partitions < spec.partitions
      }
      if (state.replicationFactor !== spec.replicationFactor)
        wrong.push(`replication factor ${state.replicationFactor}, declared ${spec.replicationFactor}`)
      if (state.leaderless.length > 0) wrong.push(`no leader for partition(s) ${state.leaderless.join(', ')}`)
      problems.push(...wrong.map(w => `${name} has ${w}`))
      details.push(
        `${name}: ${state.partitions} partition(s), replication ${state.replicationFactor}${wrong.length > 0 ? ` — ${wrong.join('; ')}` : ''}`
      )
    }
    if (problems.length === 0) return finding('ok', `${topics.length} topics as declared`, { details })
    const fix =
      bus.kind === 'kafka'
        ? `run \`crypto-viz topics\` (creates missing topics${grow ? '; `--grow-partitions` adds partitions' : ''}); Kafka cannot remove partitions: align TOPIC_PARTITIONS instead`
        : 'the embedded bus creates its topics when it opens: start the pipeline (npm start); TOPIC_PARTITIONS must match the folder'
    return finding('fail', problems.join('; '), { details, fix })
  }
}
