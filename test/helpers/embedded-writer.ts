/**
 * A child process for the crash test: publishes numbered records to the embedded bus in `argv[2]`
 * as fast as it can and prints the highest number acknowledged (publish resolved) after each
 * publish, until it is killed.
 */
import { EmbeddedBus } from '../../src/bus/embedded/embedded-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'

const dir = process.argv[2] ?? ''
const bus = await EmbeddedBus.open({
  dir,
  topics: [{ name: 'crash', partitions: 2, retentionMs: 3_600_000 }],
  log: silentLogger()
})
for (let n = 0; ;) {
  const batch = Array.from({ length: 50 }, (_, i) => ({
    topic: 'crash',
    key: `k${(n + i) % 7}`,
    value: String(n + i)
  }))
  await bus.publish(batch)
  n += batch.length
  process.stdout.write(`${n}\n`)
}
