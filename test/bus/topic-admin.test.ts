import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { type Server, createConnection, createServer } from 'node:net'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { ensureTopics } from '../../src/bus/kafka/topic-admin.ts'
import { type TopicSpec, declaredTopics } from '../../src/schemas/topics.ts'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'

const run = promisify(execFile)
const log = silentLogger()

function specs(names: string[], partitions = 3): TopicSpec[] {
  return names.map(name => ({
    name: name as TopicSpec['name'],
    key: 'symbol',
    description: 'test',
    partitions,
    replicationFactor: 1,
    minInsyncReplicas: 1,
    retentionMs: 3_600_000
  }))
}

test('topics are created with exactly the declared partitions, and a second run changes nothing', async () => {
  const declared = specs([uniqueName('t-a'), uniqueName('t-b')], 3)
  const first = await ensureTopics(testKafka, declared, { readyTimeoutMs: 60_000, log })
  assert.deepEqual(
    first.map(r => [r.outcome, r.partitions, r.leaders.length]),
    [
      ['created', 3, 3],
      ['created', 3, 3]
    ]
  )
  assert.ok(
    first.every(r => r.leaders.every(leader => leader >= 0)),
    'every partition has a leader'
  )
  const second = await ensureTopics(testKafka, declared, { readyTimeoutMs: 60_000, log })
  assert.deepEqual(
    second.map(r => r.outcome),
    ['unchanged', 'unchanged']
  )
})

test('an existing topic with a different partition count is reported as a mismatch, then can be grown', async () => {
  const [name] = await createTopics(1, 'mismatch')
  assert.ok(name)
  const [report] = await ensureTopics(testKafka, specs([name], 3), { readyTimeoutMs: 60_000, log })
  assert.equal(report?.outcome, 'mismatch')
  assert.equal(report?.partitions, 1)
  assert.match(report?.problems.join() ?? '', /has 1 partitions, declared 3/)

  const [grown] = await ensureTopics(testKafka, specs([name], 3), {
    readyTimeoutMs: 60_000,
    log,
    growPartitions: true
  })
  assert.equal(grown?.outcome, 'grown')
  assert.equal(grown?.partitions, 3)
})

test('a min.insync.replicas on the broker other than declared is a mismatch naming both values, and --fix-min-insync sets it once', async () => {
  // A prefix of its own, so that nothing here touches another run's topics.
  const connection = { ...testKafka, topicPrefix: `${uniqueName('t-mi')}.` }
  const declared = (minInsyncReplicas: number): TopicSpec[] =>
    specs(['rawtrade']).map(spec => ({ ...spec, minInsyncReplicas }))
  const [created] = await ensureTopics(connection, declared(1), { readyTimeoutMs: 60_000, log })
  assert.deepEqual([created?.outcome, created?.minInsyncReplicas], ['created', 1])

  const [drifted] = await ensureTopics(connection, declared(2), { readyTimeoutMs: 60_000, log })
  assert.equal(drifted?.outcome, 'mismatch')
  assert.equal(drifted?.minInsyncReplicas, 1)
  assert.match(
    drifted?.problems.join() ?? '',
    /min\.insync\.replicas 1 on the broker, configured 2 .*--fix-min-insync.*kafka-configs.*min\.insync\.replicas=2/
  )

  const [fixed] = await ensureTopics(connection, declared(2), {
    readyTimeoutMs: 60_000,
    log,
    fixMinInsync: true
  })
  assert.equal(fixed?.outcome, 'reconfigured')
  // Read back from the broker by a fresh run: the value was set, and setting it again changes nothing.
  const [again] = await ensureTopics(connection, declared(2), {
    readyTimeoutMs: 60_000,
    log,
    fixMinInsync: true
  })
  assert.deepEqual([again?.outcome, again?.minInsyncReplicas, again?.problems], ['unchanged', 2, []])
})

test('with no broker listening, topics gives up exactly at its deadline with an actionable message', async () => {
  const port = await freePort()
  // A clock of the test's own: the deadline passes as the command sleeps, without waiting 2 s.
  let now = 1_000_000
  const slept: number[] = []
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms)
      now += ms
    }
  }
  await assert.rejects(
    ensureTopics({ servers: [`127.0.0.1:${port}`], clientId: 't' }, specs([uniqueName('t-none')]), {
      readyTimeoutMs: 2_000,
      log,
      clock
    }),
    (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_BROKER_UNREACHABLE'))
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port} not reachable after 2 s`))
      assert.match(error.message, new RegExp(`\\(${slept.length + 1} attempts;`))
      assert.match(error.message, /scripts\/infra\.sh start kafka/)
      return true
    }
  )
  assert.ok(slept.length >= 2, `it retried (${slept.length} waits)`)
  assert.ok(
    slept.every(ms => ms > 0),
    `no wait is empty (it would spin): ${slept.join(', ')}`
  )
  assert.equal(
    slept.reduce((a, b) => a + b, 0),
    2_000,
    'it waited until the deadline, not beyond'
  )
})

test('topics succeeds when the broker appears during its retries', async () => {
  const port = await freePort()
  const [host, brokerPort] = (testKafka.servers[0] ?? '').split(':')
  let proxy: Server | undefined
  // The "broker" (a proxy to the real one) starts listening once the command has found none and
  // waits to try again.
  const appear = (): void => {
    proxy ??= createServer(client => {
      const upstream = createConnection(Number(brokerPort), host)
      client.pipe(upstream).pipe(client)
      client.on('error', () => upstream.destroy())
      upstream.on('error', () => client.destroy())
    }).listen(port, '127.0.0.1')
  }
  const waits: number[] = []
  try {
    const reports = await ensureTopics(
      { servers: [`127.0.0.1:${port}`], clientId: 't' },
      specs([uniqueName('t-late')]),
      {
        readyTimeoutMs: 60_000,
        log,
        onWait: attempt => {
          waits.push(attempt)
          appear()
        }
      }
    )
    assert.equal(reports[0]?.outcome, 'created')
    assert.ok(waits.length >= 1, 'it waited at least once')
  } finally {
    proxy?.close()
  }
})

test('the topics command declares the raw topics and the dead-letter topic, and says when nothing changed', async () => {
  assert.deepEqual(
    declaredTopics({
      partitions: 3,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      retentionHours: 1,
      deadLetterRetentionHours: 2
    }).map(t => [t.name, t.partitions]),
    [
      ['rawticker', 3],
      ['rawtrade', 3],
      ['rawarticle', 3],
      ['rawalert', 3],
      ['rawohlc', 3],
      ['rawbook', 3],
      ['deadletter', 3]
    ]
  )
  const env = { ...process.env, KAFKA_SERVERS: testKafka.servers.join(','), LOG_LEVEL: 'silent' }
  await run(process.execPath, ['src/cli.ts', 'topics'], { env })
  const { stdout } = await run(process.execPath, ['src/cli.ts', 'topics'], { env })
  assert.match(stdout, /all 7 topics already exist as declared; nothing changed/)
  assert.match(stdout, /rawtrade\s+unchanged\s+3\s+1\s+1\s+0→\d+ 1→\d+ 2→\d+/)
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))
      )
    })
  })
}

test('the topics command exits non-zero and names each topic whose partitions differ from the declaration', async () => {
  const env = {
    ...process.env,
    KAFKA_SERVERS: testKafka.servers.join(','),
    LOG_LEVEL: 'silent',
    TOPIC_PARTITIONS: '5'
  }
  await run(process.execPath, ['src/cli.ts', 'topics'], { env }).then(
    () => assert.fail('expected a non-zero exit'),
    (error: { code: number; stderr: string; stdout: string }) => {
      assert.equal(error.code, 1)
      assert.match(error.stderr, /CV_ERR_TOPIC_MISMATCH/)
      assert.match(error.stderr, /rawtrade has 3 partitions, declared 5/)
      assert.match(error.stdout, /rawtrade\s+mismatch/)
    }
  )
})
