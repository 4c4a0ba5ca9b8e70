import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { EmbeddedBus } from '../../src/bus/embedded/embedded-bus.ts'
import { busKind, createBus } from '../../src/bus/create-bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../../src/config/config.ts'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { tempDir } from '../helpers/embedded.ts'
import { testKafka } from '../helpers/kafka.ts'

test('BUS=auto picks Kafka only when KAFKA_SERVERS is set; an explicit BUS wins', () => {
  assert.equal(busKind(configFromEnv({})), 'embedded')
  assert.equal(busKind(configFromEnv({ KAFKA_SERVERS: 'localhost:9092' })), 'kafka')
  assert.equal(busKind(configFromEnv({ BUS: 'kafka' })), 'kafka')
  assert.equal(busKind(configFromEnv({ BUS: 'embedded', KAFKA_SERVERS: 'localhost:9092' })), 'embedded')
  assert.throws(() => configFromEnv({ BUS: 'rabbit' }), /BUS: expected one of auto, kafka, embedded/)
})

test('without Kafka configured, createBus opens the embedded log under DATA_DIR with every declared topic', async () => {
  const dataDir = await tempDir()
  const bus = await createBus(configFromEnv({ DATA_DIR: dataDir, TOPIC_PARTITIONS: '2' }), silentLogger())
  try {
    assert.ok(bus instanceof EmbeddedBus)
    await bus.publish([{ topic: 'rawtrade', key: 'BTC/USD', value: '{}' }])
    const offsets = await bus.inspector?.partitionOffsets(['rawtrade', 'deadletter'])
    assert.equal(offsets?.length, 4)
    // It is that very folder: opening it again is refused while this bus holds it.
    await assert.rejects(
      EmbeddedBus.open({ dir: join(dataDir, 'embedded', 'bus'), topics: [], log: silentLogger() }),
      (error: unknown) => isCryptoVizError(error, 'CV_ERR_BUS_LOCKED')
    )
  } finally {
    await bus.close()
  }
})

test('with KAFKA_SERVERS set, createBus returns the Kafka bus once the declared topics exist', async () => {
  const bus = await createBus(
    configFromEnv({ KAFKA_SERVERS: testKafka.servers.join(','), LOG_LEVEL: 'silent' }),
    silentLogger()
  )
  try {
    assert.ok(bus instanceof KafkaBus)
    const offsets = await bus.inspector?.partitionOffsets(['rawtrade'])
    assert.equal(offsets?.length, 3)
  } finally {
    await bus.close()
  }
})
