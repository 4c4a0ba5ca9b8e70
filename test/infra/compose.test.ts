import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { type ComposeService, portsOf, resolvedCompose } from '../helpers/compose.ts'

type Service = ComposeService

const resolved = resolvedCompose

function volumeSources(service: Service | undefined): string[] {
  return (service?.volumes ?? []).map(v => (typeof v === 'string' ? (v.split(':')[0] ?? '') : v.source))
}

test('the default Compose file runs Kafka in KRaft mode with the layout users expect', () => {
  const compose = resolved('docker-compose.yml')
  const kafka = compose.services.kafka
  assert.equal(kafka?.container_name, 'crypto_viz_kafka')
  assert.match(kafka?.image ?? '', /^confluentinc\/cp-kafka:/)
  assert.deepEqual(portsOf(kafka), ['9092:9092'])
  assert.equal(String(kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE), 'false')
  assert.equal(kafka?.environment?.KAFKA_PROCESS_ROLES, 'broker,controller')
  assert.match(String(kafka?.environment?.KAFKA_ADVERTISED_LISTENERS), /INTERNAL:\/\/kafka:29092/)
  assert.match(String(kafka?.environment?.KAFKA_ADVERTISED_LISTENERS), /EXTERNAL:\/\/localhost:9092/)
  assert.deepEqual(volumeSources(kafka), ['kafka-data'])
  assert.deepEqual(volumeSources(compose.services.timescaledb), ['timescaledb-data'])
  assert.ok(
    'kafka-data' in compose.volumes &&
      'timescaledb-data' in compose.volumes &&
      'redis-data' in compose.volumes
  )
  assert.match(compose.services.timescaledb?.image ?? '', /^timescale\/timescaledb:/)
  for (const name of ['kafka', 'timescaledb', 'redis'])
    assert.ok(compose.services[name]?.healthcheck, `${name} healthcheck`)
})

test('app roles wait on healthchecks and the one-shot topics service, never on sleeps', () => {
  const compose = resolved('docker-compose.yml')
  assert.deepEqual(compose.services.topics?.command, ['topics'])
  assert.equal(compose.services.topics?.depends_on?.kafka?.condition, 'service_healthy')
  for (const role of ['producer', 'ingest', 'analytics', 'api']) {
    const deps = compose.services[role]?.depends_on ?? {}
    assert.equal(deps.kafka?.condition, 'service_healthy', `${role} waits for kafka`)
    assert.equal(deps.topics?.condition, 'service_completed_successfully', `${role} waits for topics`)
    assert.equal(
      compose.services[role]?.environment?.KAFKA_SERVERS,
      'kafka:29092',
      `${role} uses the internal listener`
    )
  }
})

test('the ZooKeeper override gives the original layout (cp-zookeeper + cp-kafka 7.7.0) with the same ports and volumes', () => {
  const compose = resolved('docker-compose.yml', 'docker-compose.zookeeper.yml')
  assert.equal(compose.services.zookeeper?.image, 'confluentinc/cp-zookeeper:7.7.0')
  const kafka = compose.services.kafka
  assert.equal(kafka?.image, 'confluentinc/cp-kafka:7.7.0')
  assert.equal(kafka?.container_name, 'crypto_viz_kafka')
  assert.equal(kafka?.environment?.KAFKA_ZOOKEEPER_CONNECT, 'zookeeper:2181')
  assert.equal(String(kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE), 'false')
  assert.deepEqual(portsOf(kafka), ['9092:9092'])
  assert.deepEqual(volumeSources(kafka), ['kafka-data'])
  assert.equal(kafka?.depends_on?.zookeeper?.condition, 'service_healthy')
})

test('Compose and the local broker run the same Kafka major version', () => {
  const pom = readFileSync('infra/kafka/pom.xml', 'utf8')
  const localMajor = Number(/<kafka\.version>(\d+)\./.exec(pom)?.[1])
  const image = resolved('docker-compose.yml').services.kafka?.image ?? ''
  // Confluent Platform X.Y ships Apache Kafka .Y.
  const composeMajor = Number(/cp-kafka:(\d+)\./.exec(image)?.[1]) - 4
  assert.equal(composeMajor, localMajor)
})
