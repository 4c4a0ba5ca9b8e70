/**
 * Second check: the bus answers (a Kafka metadata request, or the embedded bus folder exists), and
 * on Kafka every broker that holds replicas of the pipeline's topics is in the cluster and every
 * bootstrap server of KAFKA_SERVERS accepts connections.
 */
import { describeError } from '../errors/errors.ts'
import type { BrokerState } from './bus-probe.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'

export const brokerCheck: DoctorCheck = {
  name: 'broker',
  async run(context) {
    const { bus, timeoutMs, topics } = context
    let what: string
    try {
      what = await within(timeoutMs, `the bus at ${bus.where}`, bus.reach())
      context.facts.busReachable = true
    } catch (error) {
      context.facts.busReachable = false
      return bus.kind === 'kafka'
        ? finding('fail', `Kafka at ${bus.where} is not reachable: ${describeError(error)}`, {
            fix: 'start it (scripts/infra.sh start kafka, or docker compose up -d kafka) and check KAFKA_SERVERS'
          })
        : finding('fail', `no embedded bus folder at ${bus.where}`, {
            fix: 'start the pipeline once (npm start creates it), or point DATA_DIR at the folder it uses'
          })
    }
    if (bus.kind !== 'kafka') return finding('ok', what)
    const answers = `Kafka at ${bus.where} answers: ${what}`
    let state: BrokerState
    try {
      state = await within(timeoutMs, 'the cluster metadata', bus.brokers(topics.map(t => t.name)))
    } catch (error) {
      return finding(
        'warn',
        `${answers}; could not read which brokers hold the topics: ${describeError(error)}`
      )
    }
    const { missing, silentServers } = state
    if (missing.length === 0 && silentServers.length === 0) return finding('ok', answers)
    // A missing broker alone loses nothing while the others hold in-sync copies: the topics check
    // says whether partitions are under-replicated, below min.insync.replicas or offline.
    const problems = [
      ...(missing.length > 0
        ? [
            `broker(s) ${missing.join(', ')} missing from the cluster: the topics name them as replicas, but they are not registered`
          ]
        : []),
      ...(silentServers.length > 0
        ? [
            `nothing answers at ${silentServers.join(', ')} of KAFKA_SERVERS: a broker there is down (it may hold no replica of the pipeline's topics, so nothing else names it)`
          ]
        : [])
    ]
    const fixes = [
      ...(missing.length > 0
        ? [
            `start the missing broker(s) again (scripts/infra.sh start ${missing.map(id => `kafka-${id}`).join(' ')}; its log is .data/logs/kafka-<id>.log), or reassign their partitions if they are gone for good`
          ]
        : []),
      ...(silentServers.length > 0
        ? [
            'start the broker at each silent address again (scripts/infra.sh status names them), or take an address that is gone for good out of KAFKA_SERVERS'
          ]
        : [])
    ]
    return finding('warn', `${problems.join('; ')} (${answers})`, { fix: fixes.join('; ') })
  }
}
