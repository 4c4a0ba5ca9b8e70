import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { configFromEnv } from '../../src/config/config.ts'
import {
  describeMode,
  embeddedDatabaseDir,
  locations,
  ownsDataDir,
  resolveMode,
  serviceMode
} from '../../src/runtime/mode.ts'

const kafka = { KAFKA_SERVERS: '127.0.0.1:9092' }
const postgres = { DATABASE_URL: 'postgres://u:secret@db:5432/x' }
const redis = { REDIS_URL: 'redis://cache:6379' }

test('with none of the three variables set, npm start runs everything embedded', () => {
  const mode = resolveMode(configFromEnv({}))
  assert.deepEqual(mode, { bus: 'embedded', database: 'pglite', cache: 'memory', live: 'memory' })
  assert.equal(describeMode(mode), 'embedded')
  assert.equal(ownsDataDir(mode), true)
})

test('with all three set, the same command runs on the full stack', () => {
  const mode = resolveMode(configFromEnv({ ...kafka, ...postgres, ...redis }))
  assert.deepEqual(mode, { bus: 'kafka', database: 'postgres', cache: 'redis', live: 'redis' })
  assert.equal(describeMode(mode), 'full stack')
  assert.equal(ownsDataDir(mode), false)
})

test('each variable switches its own piece only', () => {
  assert.deepEqual(resolveMode(configFromEnv(kafka)), {
    bus: 'kafka',
    database: 'pglite',
    cache: 'memory',
    live: 'memory'
  })
  assert.deepEqual(resolveMode(configFromEnv(postgres)), {
    bus: 'embedded',
    database: 'postgres',
    cache: 'memory',
    live: 'memory'
  })
  const onlyRedis = resolveMode(configFromEnv(redis))
  assert.deepEqual(onlyRedis, { bus: 'embedded', database: 'pglite', cache: 'redis', live: 'redis' })
  assert.equal(describeMode(onlyRedis), 'embedded bus + PGlite + Redis')
  assert.equal(
    describeMode(resolveMode(configFromEnv({ ...kafka, ...postgres }))),
    'Kafka + PostgreSQL + memory cache'
  )
})

test('BUS overrides what KAFKA_SERVERS implies', () => {
  assert.equal(resolveMode(configFromEnv({ ...kafka, BUS: 'embedded' })).bus, 'embedded')
  assert.equal(resolveMode(configFromEnv({ BUS: 'kafka' })).bus, 'kafka')
})

test('one role per process always shares PostgreSQL and Redis, whatever is set', () => {
  assert.deepEqual(serviceMode(configFromEnv({})), {
    bus: 'embedded',
    database: 'postgres',
    cache: 'redis',
    live: 'redis'
  })
  assert.equal(serviceMode(configFromEnv(kafka)).bus, 'kafka')
})

test('embedded pieces live under DATA_DIR, full-stack ones are named by address without passwords', () => {
  const config = configFromEnv({ DATA_DIR: '/tmp/cv-data', ...postgres })
  assert.equal(embeddedDatabaseDir(config), join('/tmp/cv-data', 'embedded', 'pg'))
  const where = locations(resolveMode(config), config)
  assert.equal(where.bus, join('/tmp/cv-data', 'embedded', 'bus'))
  assert.equal(where.database, 'postgres://u:****@db:5432/x')
  assert.equal(where.cache, 'in memory')
})
