/**
 * One analytics instance for `bench:analytics`, in its own process as in production: the real role
 * (test/helpers/role-host.ts: its own Kafka client, PostgreSQL pool, metrics) on the benchmark's
 * topics and database, given as TOPICS (JSON), GROUP_ID and DATABASE_URL. It measures itself, which
 * only the process can do exactly: resident memory sampled every 50 ms (and the kernel's own peak,
 * VmHWM), V8's heap, and process.cpuUsage(). Answers the parent over IPC: 'mark' (CPU and peaks
 * from now on), 'sample' (peak resident memory since the last sample), 'report', 'snapshot' (a heap
 * snapshot file). Run with --expose-gc for heap-after-GC.
 */
import { readFileSync } from 'node:fs'
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8'
import { createAnalyticsRole } from '../src/jobs/analytics/analytics-role.ts'
import { hostRole } from '../test/helpers/role-host.ts'

const send = (message: unknown): void => void process.send?.(message)

const topics = JSON.parse(process.env.TOPICS ?? '{}') as Record<string, string>
const env = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)
)

let peakRss = 0
let peakHeap = 0
/** Peak since the last 'sample' question. */
let stretchPeakRss = 0
const sample = (): void => {
  const m = process.memoryUsage()
  peakRss = Math.max(peakRss, m.rss)
  peakHeap = Math.max(peakHeap, m.heapUsed)
  stretchPeakRss = Math.max(stretchPeakRss, m.rss)
}

function kernelPeakRss(): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return line === null ? 0 : Number(line[1]) * 1024
}

const role = await hostRole(createAnalyticsRole({ topics, groupId: process.env.GROUP_ID ?? 'bench' }), {
  databaseUrl: process.env.DATABASE_URL ?? '',
  env
})
// The test host keeps the first 10,000 live events for assertions; a real process hands them to
// Redis and keeps none, so they are dropped here as they come (they would be counted as the job's).
const sampler = setInterval(() => {
  role.liveEvents.length = 0
  sample()
}, 50)
let cpuMark = process.cpuUsage()

process.on('message', (message: { type: string; path?: string }) => {
  if (message.type === 'mark') {
    cpuMark = process.cpuUsage()
    peakRss = 0
    peakHeap = 0
    sample()
    send({ type: 'marked', rss: process.memoryUsage().rss })
  } else if (message.type === 'report') {
    sample()
    const cpu = process.cpuUsage(cpuMark)
    const before = process.memoryUsage()
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map(s => [s.space_name, Math.round(s.space_size / 2 ** 20)])
    )
    const heapLimit = getHeapStatistics().heap_size_limit
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const after = process.memoryUsage()
    send({
      type: 'report',
      cpuMicros: cpu.user + cpu.system,
      peakRss,
      peakHeap,
      kernelPeakRss: kernelPeakRss(),
      rss: before.rss,
      heapUsed: before.heapUsed,
      heapTotal: before.heapTotal,
      external: before.external,
      spaces,
      heapLimit,
      heapAfterGc: gc === undefined ? null : after.heapUsed,
      rssAfterGc: gc === undefined ? null : after.rss
    })
  } else if (message.type === 'sample') {
    sample()
    send({ type: 'sample', peakRss: stretchPeakRss })
    stretchPeakRss = 0
  } else if (message.type === 'snapshot') {
    send({ type: 'snapshot', path: writeHeapSnapshot(message.path) })
  }
})
send({ type: 'started' })
process.once('SIGTERM', () => {
  clearInterval(sampler)
  void role.stop().then(() => process.exit(0))
})
