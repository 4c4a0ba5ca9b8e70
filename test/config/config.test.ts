import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { STACK_ENV_FILE, configFromEnv, loadConfig } from '../../src/config/config.ts'
import { variables } from '../../src/config/variables.ts'
import { isCryptoVizError } from '../../src/errors/errors.ts'

const run = promisify(execFile)

test('defaults give a working local configuration', () => {
  const config = configFromEnv({})
  assert.deepEqual(config.kafka.servers, ['localhost:9092'])
  assert.equal(config.kafka.configured, false)
  assert.equal(config.topics.partitions, 3)
  assert.equal(config.topics.replicationFactor, 1)
  assert.match(config.database.url, /^postgres:\/\//)
  assert.match(config.redis.url, /^redis:\/\//)
})

test('values from the environment are parsed and typed, and mark what was set explicitly', () => {
  const config = configFromEnv({ KAFKA_SERVERS: 'a:9092, b:9093', TOPIC_PARTITIONS: '6', LOG_LEVEL: 'DEBUG' })
  assert.deepEqual(config.kafka.servers, ['a:9092', 'b:9093'])
  assert.equal(config.kafka.configured, true)
  assert.equal(config.topics.partitions, 6)
  assert.equal(config.log.level, 'debug')
  assert.equal(config.database.configured, false)
})

test('invalid configuration names every bad variable and what it expects', () => {
  assert.throws(
    () =>
      configFromEnv({
        KAFKA_SERVERS: 'localhost',
        TOPIC_PARTITIONS: '0',
        DATABASE_URL: 'mysql://x/y',
        LOG_LEVEL: 'loud'
      }),
    (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_CONFIG_INVALID'))
      assert.match(error.message, /4 variables/)
      assert.match(error.message, /KAFKA_SERVERS: in item "localhost": expected host:port/)
      assert.match(error.message, /TOPIC_PARTITIONS: expected an integer from 1 to 1000, got "0"/)
      assert.match(
        error.message,
        /DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//
      )
      assert.match(error.message, /LOG_LEVEL: expected one of trace, debug/)
      return true
    }
  )
})

test('TOPIC_PREFIX is empty by default and refuses characters Kafka does not allow in a topic name', () => {
  assert.equal(configFromEnv({}).kafka.topicPrefix, '')
  assert.equal(configFromEnv({ TOPIC_PREFIX: 'staging.' }).kafka.topicPrefix, 'staging.')
  assert.throws(
    () => configFromEnv({ TOPIC_PREFIX: 'staging/eu' }),
    (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_CONFIG_INVALID'))
      assert.match(
        error.message,
        /TOPIC_PREFIX: expected empty, or up to 200 letters, digits, dot, underscore or dash \(the characters Kafka allows in a topic name\), got "staging\/eu"/
      )
      return true
    }
  )
})

test('TOPIC_MIN_INSYNC_REPLICAS above TOPIC_REPLICATION_FACTOR is refused, saying every write would fail', () => {
  assert.equal(configFromEnv({}).topics.minInsyncReplicas, 1)
  const cluster = configFromEnv({ TOPIC_REPLICATION_FACTOR: '3', TOPIC_MIN_INSYNC_REPLICAS: '2' })
  assert.equal(cluster.topics.minInsyncReplicas, 2)
  assert.throws(
    () => configFromEnv({ TOPIC_MIN_INSYNC_REPLICAS: '2' }),
    (error: unknown) => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_CONFIG_INVALID'))
      assert.match(
        error.message,
        /TOPIC_MIN_INSYNC_REPLICAS: 2 is more than TOPIC_REPLICATION_FACTOR \(1\); every write would be refused/
      )
      return true
    }
  )
})

test('ANALYTICS_WORKERS auto is one worker per core and no more than a topic has partitions; a count is taken as given, 0 or a word refused', () => {
  const cores = availableParallelism()
  assert.equal(configFromEnv({}).analytics.workers, Math.min(cores, 3))
  assert.equal(configFromEnv({ TOPIC_PARTITIONS: '1' }).analytics.workers, 1)
  assert.equal(configFromEnv({ TOPIC_PARTITIONS: '64' }).analytics.workers, cores)
  assert.equal(configFromEnv({ ANALYTICS_WORKERS: '4' }).analytics.workers, 4)
  for (const raw of ['0', 'many']) {
    assert.throws(
      () => configFromEnv({ ANALYTICS_WORKERS: raw }),
      (error: unknown) => {
        assert.ok(isCryptoVizError(error, 'CV_ERR_CONFIG_INVALID'))
        assert.match(error.message, /ANALYTICS_WORKERS: expected auto, or an integer from 1 to 16, got/)
        return true
      }
    )
  }
})

test('the configuration is frozen', () => {
  const config = configFromEnv({})
  assert.throws(() => {
    ;(config.topics as { partitions: number }).partitions = 9
  }, TypeError)
})

test('the program stops at once on invalid configuration, exit code 78, naming the variable', async () => {
  await assert.rejects(
    run(process.execPath, ['src/cli.ts', 'config'], {
      env: { ...process.env, TOPIC_REPLICATION_FACTOR: 'three' }
    }),
    (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 78)
      assert.match(error.stderr, /TOPIC_REPLICATION_FACTOR: expected an integer from 1 to 10, got "three"/)
      return true
    }
  )
})

test('.env.example documents exactly the variables the program reads, with their defaults', () => {
  const example = readFileSync('.env.example', 'utf8')
  const documented = new Map(
    [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/gm)].map(m => [m[1] ?? '', (m[2] ?? '').trim()])
  )
  assert.deepEqual([...documented.keys()].sort(), Object.keys(variables).sort())
  for (const [name, spec] of Object.entries(variables)) {
    assert.equal(documented.get(name), spec.default, `default of ${name} in .env.example`)
  }
})

test('commands find the stack start_all.sh recorded in DATA_DIR, and explicit settings win over it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cv-stack-'))
  try {
    const none = join(dataDir, 'no.env')
    assert.equal(loadConfig({ envFile: none, env: { DATA_DIR: dataDir } }).kafka.configured, false)
    writeFileSync(
      join(dataDir, STACK_ENV_FILE),
      'KAFKA_SERVERS=127.0.0.1:29092\nDATABASE_URL=postgres://u:p@127.0.0.1:25432/db\nREDIS_URL=redis://127.0.0.1:26379\n'
    )
    const stack = loadConfig({ envFile: none, env: { DATA_DIR: dataDir } })
    assert.deepEqual(stack.kafka.servers, ['127.0.0.1:29092'])
    assert.equal(stack.kafka.configured, true)
    assert.equal(stack.database.url, 'postgres://u:p@127.0.0.1:25432/db')
    assert.equal(stack.redis.url, 'redis://127.0.0.1:26379')
    const dotenv = join(dataDir, '.env')
    writeFileSync(dotenv, 'REDIS_URL=redis://127.0.0.1:36379\n')
    const explicit = loadConfig({
      envFile: dotenv,
      env: { DATA_DIR: dataDir, KAFKA_SERVERS: '127.0.0.1:39092' }
    })
    assert.deepEqual(explicit.kafka.servers, ['127.0.0.1:39092'], 'the environment wins')
    assert.equal(explicit.redis.url, 'redis://127.0.0.1:36379', '.env wins')
    assert.equal(explicit.database.url, 'postgres://u:p@127.0.0.1:25432/db', 'the stack fills the rest')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
