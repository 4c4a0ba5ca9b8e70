/**
 * With ANALYTICS_WORKERS > 1 the analytics process's main thread is a member of the group, and its
 * heap (unlike a worker thread's) is fixed by Node's flags when the process starts: `crypto-viz
 * analytics` started without them becomes itself again with a worker's heap (same pid), and leaves
 * a heap the operator chose alone.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { after, before, test } from 'node:test'
import { configFromEnv } from '../../src/config/config.ts'
import { mainHeapFlags, sizedArgv } from '../../src/jobs/analytics/workers/main-heap.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'

const analytics = (env: Record<string, string>) => configFromEnv(env).analytics
const node = {
  execPath: '/usr/bin/node',
  execArgv: ['--enable-source-maps'],
  argv: ['/usr/bin/node', 'src/cli.ts', 'analytics']
}

test("the main thread's heap flags follow the workers' heap settings", () => {
  assert.deepEqual(mainHeapFlags(analytics({})), ['--max-old-space-size=1024', '--max-semi-space-size=16'])
  assert.deepEqual(
    mainHeapFlags(analytics({ ANALYTICS_WORKER_HEAP_MB: '512', ANALYTICS_WORKER_YOUNG_MB: '96' })),
    ['--max-old-space-size=512', '--max-semi-space-size=32']
  )
  assert.deepEqual(mainHeapFlags(analytics({ ANALYTICS_WORKER_YOUNG_MB: '0' })), [
    '--max-old-space-size=1024'
  ])
  assert.deepEqual(mainHeapFlags(analytics({ ANALYTICS_WORKER_HEAP_MB: '0' })), [])
})

test('a restart is asked only for a main thread that is a member, has flags to take, and has no heap chosen at start', () => {
  const two = analytics({ ANALYTICS_WORKERS: '2' })
  assert.deepEqual(sizedArgv(two, { ...node, env: {} }), [
    '/usr/bin/node',
    '--enable-source-maps',
    '--max-old-space-size=1024',
    '--max-semi-space-size=16',
    'src/cli.ts',
    'analytics'
  ])
  assert.equal(
    sizedArgv(analytics({ ANALYTICS_WORKERS: '1' }), { ...node, env: {} }),
    undefined,
    'one member'
  )
  assert.equal(
    sizedArgv(analytics({ ANALYTICS_WORKERS: '2', ANALYTICS_WORKER_HEAP_MB: '0' }), { ...node, env: {} }),
    undefined,
    "V8's own sizing asked for"
  )
  assert.equal(
    sizedArgv(two, { ...node, execArgv: ['--max-semi-space-size=64'], env: {} }),
    undefined,
    'a flag on the command line'
  )
  assert.equal(
    sizedArgv(two, { ...node, env: { NODE_OPTIONS: '--trace-warnings --max-old-space-size=4096' } }),
    undefined,
    'a flag in NODE_OPTIONS'
  )
})

let database: TestDatabase
before(async () => {
  database = await createTestDatabase()
})
after(async () => {
  await database.drop()
})

interface LogLine {
  pid: number
  level: number
  msg: string
  execArgv?: string[]
}

/** Runs `node src/cli.ts analytics` until it consumes, and returns its log lines up to then. */
async function analyticsUntilConsuming(
  env: Record<string, string>
): Promise<{ pid: number; lines: LogLine[] }> {
  const child = spawn(process.execPath, ['src/cli.ts', 'analytics'], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      KAFKA_SERVERS: testKafka.servers.join(','),
      BUS: 'kafka',
      DATABASE_URL: database.url,
      TOPIC_PREFIX: `${uniqueName('t-heap')}.`,
      ANALYTICS_GROUP_ID: uniqueName('g-heap'),
      ANALYTICS_WORKERS: '2',
      OPS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env
    },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  const lines: LogLine[] = []
  try {
    for await (const text of createInterface({ input: child.stderr })) {
      if (!text.startsWith('{')) continue
      const line = JSON.parse(text) as LogLine
      lines.push(line)
      if (line.msg.startsWith('analytics consuming')) break
    }
    assert.ok(
      lines.some(l => l.msg.startsWith('analytics consuming')),
      `the role never consumed:\n${lines.map(l => l.msg).join('\n')}`
    )
  } finally {
    child.kill('SIGTERM')
  }
  assert.equal(await exited, 0, 'stops cleanly on SIGTERM')
  return { pid: child.pid ?? -1, lines }
}

test('crypto-viz analytics started without heap flags restarts itself in place with a worker heap, and says so', async () => {
  const { pid, lines } = await analyticsUntilConsuming({})
  const sized = lines.find(l => l.msg.startsWith('analytics started with the main thread heap sized'))
  assert.ok(sized, lines.map(l => l.msg).join('\n'))
  assert.deepEqual(
    sized.execArgv?.filter(f => f.startsWith('--max-')),
    ['--max-old-space-size=1024', '--max-semi-space-size=16']
  )
  assert.ok(
    lines.every(l => l.pid === pid),
    'one process: the restart replaced the program, not the pid'
  )
  assert.ok(!lines.some(l => l.msg.includes("heap is V8's default")), 'no warning once sized')
})

test('crypto-viz analytics keeps a heap chosen in NODE_OPTIONS', async () => {
  const { lines } = await analyticsUntilConsuming({ NODE_OPTIONS: '--max-old-space-size=2048' })
  assert.ok(!lines.some(l => l.msg.startsWith('analytics started with the main thread heap sized')))
  assert.ok(!lines.some(l => l.msg.includes("heap is V8's default")), 'a chosen heap is not warned about')
})
