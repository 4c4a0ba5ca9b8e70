/**
 * docker-compose.cluster.yml, as far as it can be checked without a Docker engine: Compose accepts
 * the merged files, and the three brokers' node ids, quorum, listeners, advertised addresses, host
 * ports and volumes agree with each other and with what the roles are told.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configFromEnv } from '../../src/config/config.ts'
import { type ComposeService, portsOf, resolvedCompose } from '../helpers/compose.ts'

const compose = resolvedCompose('docker-compose.yml', 'docker-compose.cluster.yml')
const brokers = Object.entries(compose.services).filter(([, s]) =>
  String(s.environment?.KAFKA_PROCESS_ROLES ?? '').includes('broker')
)

function env(service: ComposeService | undefined, name: string): string {
  return String(service?.environment?.[name] ?? '')
}

/** `NAME://host:port,…` → Map(NAME → { host, port }). */
function listeners(text: string): Map<string, { host: string; port: number }> {
  return new Map(
    text.split(',').map(entry => {
      const match = /^([A-Z]+):\/\/([^:]+):(\d+)$/.exec(entry.trim())
      assert.ok(match, `listener ${entry}`)
      return [match[1] ?? '', { host: match[2] ?? '', port: Number(match[3]) }]
    })
  )
}

test('the cluster variant runs three KRaft nodes with distinct ids, one cluster id and one quorum naming each', () => {
  assert.equal(brokers.length, 3)
  const ids = brokers.map(([, s]) => Number(env(s, 'KAFKA_NODE_ID'))).sort()
  assert.deepEqual(ids, [1, 2, 3])
  assert.equal(new Set(brokers.map(([, s]) => env(s, 'CLUSTER_ID'))).size, 1)
  const quorums = new Set(brokers.map(([, s]) => env(s, 'KAFKA_CONTROLLER_QUORUM_VOTERS')))
  assert.equal(quorums.size, 1, 'every node has the same voters')
  const voters = [...quorums][0]?.split(',') ?? []
  assert.equal(voters.length, 3)
  for (const voter of voters) {
    const [, id, host, port] = /^(\d+)@([^:]+):(\d+)$/.exec(voter) ?? []
    const node = brokers.find(([, s]) => env(s, 'KAFKA_NODE_ID') === id)
    assert.ok(node, `voter ${voter} is a node of the file`)
    const [name, service] = node
    assert.equal(service.hostname ?? name, host, `voter ${voter} names node ${id}'s host`)
    assert.equal(listeners(env(service, 'KAFKA_LISTENERS')).get('CONTROLLER')?.port, Number(port))
  }
})

test('each node advertises its own host on the internal listener and a distinct host port on the external one', () => {
  const published = new Set<string>()
  const volumes = new Set<string>()
  for (const [name, service] of brokers) {
    const listening = listeners(env(service, 'KAFKA_LISTENERS'))
    const advertised = listeners(env(service, 'KAFKA_ADVERTISED_LISTENERS'))
    assert.equal(advertised.get('INTERNAL')?.host, service.hostname ?? name)
    assert.equal(advertised.get('INTERNAL')?.port, listening.get('INTERNAL')?.port)
    const external = advertised.get('EXTERNAL')
    assert.equal(external?.host, 'localhost')
    // The advertised host port is the one Compose publishes for the external listener.
    assert.ok(
      portsOf(service).includes(`${external?.port}:${listening.get('EXTERNAL')?.port}`),
      `${name} publishes ${external?.port} → ${listening.get('EXTERNAL')?.port} (${portsOf(service).join(', ')})`
    )
    published.add(String(external?.port))
    for (const volume of service.volumes ?? [])
      volumes.add(typeof volume === 'string' ? (volume.split(':')[0] ?? '') : volume.source)
    assert.equal(env(service, 'KAFKA_INTER_BROKER_LISTENER_NAME'), 'INTERNAL')
    assert.equal(env(service, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE'), 'false')
  }
  assert.equal(published.size, 3, 'distinct host ports')
  assert.equal(volumes.size, 3, 'a data volume each')
})

test("the roles bootstrap from all three brokers' internal addresses with a configuration the program accepts: replication 3, min.insync.replicas 2", () => {
  const internal = brokers
    .map(([, s]) => listeners(env(s, 'KAFKA_ADVERTISED_LISTENERS')).get('INTERNAL'))
    .map(a => `${a?.host}:${a?.port}`)
    .sort()
  for (const role of ['topics', 'migrate', 'producer', 'ingest', 'analytics', 'api']) {
    const service = compose.services[role]
    assert.deepEqual(env(service, 'KAFKA_SERVERS').split(',').sort(), internal, role)
    const config = configFromEnv(
      Object.fromEntries(
        Object.entries(service?.environment ?? {}).map(([key, value]) => [
          key,
          value === null ? '' : String(value)
        ])
      )
    )
    assert.equal(config.topics.replicationFactor, 3, role)
    assert.equal(config.topics.minInsyncReplicas, 2, role)
  }
  for (const name of ['kafka-2', 'kafka-3'])
    assert.equal(compose.services.topics?.depends_on?.[name]?.condition, 'service_healthy')
})
