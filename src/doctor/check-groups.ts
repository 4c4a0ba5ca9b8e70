/**
 * Fourth check: where the pipeline's consumer groups stand. A group that never committed is not
 * running (or has never seen a record); a group further behind than the lag bound fails.
 */
import { describeError } from '../errors/errors.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'

export const groupsCheck: DoctorCheck = {
  name: 'consumer groups',
  async run({ bus, groups, topics, maxLag, timeoutMs, facts }) {
    if (facts.busReachable !== true) return finding('skip', 'the bus is not reachable')
    const existing = await within(timeoutMs, 'the topic listing', bus.topics(topics.map(t => t.name))).catch(
      () => new Map()
    )
    const details: string[] = []
    const failures: string[] = []
    const warnings: string[] = []
    const fixes = new Set<string>()
    for (const group of groups) {
      const readable = group.topics.filter(t => existing.get(t) !== undefined)
      try {
        const [offsets, state] = await within(
          timeoutMs,
          `group ${group.id}`,
          Promise.all([bus.groupOffsets(group.id, readable), bus.group(group.id)])
        )
        const lag = offsets.reduce((sum, o) => sum + o.lag, 0n)
        const worst = offsets.reduce<(typeof offsets)[number] | undefined>(
          (a, b) => (a === undefined || b.lag > a.lag ? b : a),
          undefined
        )
        const committed = offsets.some(o => o.committed !== undefined)
        const members =
          state.members === undefined ? state.state : `${state.state}, ${state.members} member(s)`
        details.push(
          `${group.id} (${group.role}): ${members}, lag ${lag} over ${offsets.length} partition(s)` +
            (worst !== undefined && worst.lag > 0n
              ? `, most on ${bus.topicName(worst.topic)}/${worst.partition} (${worst.lag})`
              : '')
        )
        if (lag > BigInt(maxLag)) {
          failures.push(`${group.id} lags by ${lag} records (bound ${maxLag})`)
          fixes.add(
            `a lagging ${group.role}: check that it runs and is healthy (its /health/ready), start more instances (they share partitions), or raise --max-lag if the backlog is expected`
          )
        } else if (!committed) {
          warnings.push(`${group.id} has never committed an offset`)
          fixes.add(`start the ${group.role} role (crypto-viz ${group.role}), or wait for its first records`)
        } else if (state.members === 0 && lag > 0n) {
          warnings.push(`${group.id} has no member running and ${lag} records waiting`)
          fixes.add(`start the ${group.role} role (crypto-viz ${group.role})`)
        }
      } catch (error) {
        failures.push(`${group.id}: ${describeError(error)}`)
      }
    }
    const fix = fixes.size > 0 ? [...fixes].join('; ') : undefined
    if (failures.length > 0) return finding('fail', failures.join('; '), { details, ...(fix ? { fix } : {}) })
    if (warnings.length > 0) return finding('warn', warnings.join('; '), { details, ...(fix ? { fix } : {}) })
    return finding('ok', `${groups.length} group(s) within ${maxLag} records of the end`, { details })
  }
}
