/**
 * Seventh check: the producers are producing. The age of the newest record on each producer topic,
 * read from the bus itself (Kafka's max-timestamp offsets, or the embedded log's last records), so
 * it holds whatever the downstream stages are doing.
 */
import { describeError } from '../errors/errors.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'

export const producersCheck: DoctorCheck = {
  name: 'producers',
  async run({ bus, producerTopics, maxAgeSeconds, timeoutMs, facts }) {
    if (facts.busReachable !== true) return finding('skip', 'the bus is not reachable')
    const states = await within(timeoutMs, 'the topic listing', bus.topics(producerTopics.map(t => t.topic)))
    const present = producerTopics.filter(t => states.get(t.topic) !== undefined)
    if (present.length === 0) return finding('skip', 'no producer topic exists (see topics)')
    let newest
    try {
      newest = await within(timeoutMs, 'the newest records', bus.newestRecords(present.map(t => t.topic)))
    } catch (error) {
      return finding('fail', `could not read the newest records: ${describeError(error)}`)
    }
    const now = Date.now()
    const details: string[] = []
    const stale: string[] = []
    const quiet: string[] = []
    for (const { topic, source, maxAgeSeconds: own } of present) {
      const bound = own ?? maxAgeSeconds
      const at = newest.get(topic)
      const age = at === undefined ? undefined : Math.round((now - at) / 1000)
      details.push(
        `${bus.topicName(topic)} (${source}): ${age === undefined ? 'no record yet' : `newest record ${age} s ago`}, bound ${bound} s`
      )
      if (age === undefined || age > bound) (own === undefined ? stale : quiet).push(bus.topicName(topic))
    }
    const fix =
      'check the produce role: its /health/ready names the failing source (exchange connection, feeds); start it with crypto-viz produce'
    if (stale.length > 0) return finding('fail', `nothing recent on ${stale.join(', ')}`, { details, fix })
    if (quiet.length > 0)
      return finding('warn', `quiet for longer than usual: ${quiet.join(', ')}`, { details, fix })
    return finding('ok', `every producer topic has fresh records`, { details })
  }
}
