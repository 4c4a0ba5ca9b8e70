/**
 * Third check: every declared topic exists with its partitions and replication, every partition has
 * a leader (else it is offline: FAIL) and its replicas in sync (fewer: WARN; fewer than the topic's
 * min.insync.replicas, which refuses acks=all writes: FAIL). A min.insync.replicas on the broker
 * other than the configured one WARNs: writes still flow, but with another durability than chosen.
 */
import { minInsyncDrift } from '../bus/kafka/topic-admin.ts'
import { describeError } from '../errors/errors.ts'
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
    const warnings: string[] = []
    let grow = false
    let replicasDown = false
    const driftFixes: string[] = []
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
      if (state.leaderless.length > 0)
        wrong.push(`partition(s) ${state.leaderless.join(', ')} offline (no leader)`)
      // Writes are held to the broker's value, whatever the configuration says.
      const minInsync = state.minInsyncReplicas ?? spec.minInsyncReplicas ?? 1
      const refusing = state.underReplicated.filter(p => p.inSync < minInsync)
      if (refusing.length > 0)
        wrong.push(
          `partition(s) ${refusing.map(p => `${p.partition} (${p.inSync} in sync)`).join(', ')} below min.insync.replicas ${minInsync}: writes are refused`
        )
      const lagging = state.underReplicated.filter(p => p.inSync >= minInsync)
      const warned =
        lagging.length === 0
          ? []
          : [
              `under-replicated partition(s) ${lagging.map(p => `${p.partition} (${p.inSync}/${p.replicas} in sync)`).join(', ')}`
            ]
      if (
        spec.minInsyncReplicas !== undefined &&
        state.minInsyncReplicas !== undefined &&
        state.minInsyncReplicas !== spec.minInsyncReplicas
      ) {
        warned.push(
          `min.insync.replicas ${state.minInsyncReplicas} on the broker, configured ${spec.minInsyncReplicas}`
        )
        driftFixes.push(`${name} ${minInsyncDrift(name, state.minInsyncReplicas, spec.minInsyncReplicas)}`)
      }
      replicasDown ||= state.underReplicated.length > 0 || state.leaderless.length > 0
      problems.push(...wrong.map(w => `${name} has ${w}`))
      warnings.push(...warned.map(w => `${name} has ${w}`))
      const notes = [...wrong, ...warned]
      details.push(
        `${name}: ${state.partitions} partition(s), replication ${state.replicationFactor}${notes.length > 0 ? ` — ${notes.join('; ')}` : ''}`
      )
    }
    const replicaFix =
      'bring the brokers holding these replicas back (see the broker check; scripts/infra.sh status); the followers catch up by themselves'
    if (problems.length === 0 && warnings.length === 0)
      return finding('ok', `${topics.length} topics as declared`, { details })
    const warnFix = [...(replicasDown ? [replicaFix] : []), ...driftFixes].join('; ')
    if (problems.length === 0) return finding('warn', warnings.join('; '), { details, fix: warnFix })
    const fix =
      bus.kind === 'kafka'
        ? `${replicasDown ? `${replicaFix}; otherwise ` : ''}run \`crypto-viz topics\` (creates missing topics${grow ? '; `--grow-partitions` adds partitions' : ''}); Kafka cannot remove partitions: align TOPIC_PARTITIONS instead`
        : 'the embedded bus creates its topics when it opens: start the pipeline (npm start); TOPIC_PARTITIONS must match the folder'
    return finding('fail', [...problems, ...warnings].join('; '), {
      details,
      fix: [fix, ...driftFixes].join('; ')
    })
  }
}
