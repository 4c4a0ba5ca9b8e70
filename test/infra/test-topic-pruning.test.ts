import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { Admin } from '@platformatic/kafka'
import { pruneTestTopics, testKafka } from '../helpers/kafka.ts'
import { uniqueName } from '../helpers/names.ts'

test('npm test prunes the test topics of runs over an hour old, keeps younger ones and touches nothing else', async () => {
  const twoHoursAgo = (Date.now() - 2 * 3_600_000).toString(36)
  const old = `t-prune-${twoHoursAgo}-${randomBytes(3).toString('hex')}`
  const young = uniqueName('t-prune')
  const notATestTopic = `prune-${twoHoursAgo}-${randomBytes(3).toString('hex')}`
  const admin = new Admin({ clientId: 'crypto-viz-test-admin', bootstrapBrokers: [...testKafka.servers] })
  try {
    await admin.createTopics({ topics: [old, young, notATestTopic], partitions: 1, replicas: 1 })
    const deleted = await pruneTestTopics(3_600_000)
    assert.ok(deleted >= 1, `deleted ${deleted}`)
    const left = await admin.listTopics()
    assert.ok(!left.includes(old), 'the old run’s topic is gone')
    assert.ok(left.includes(young), 'a topic of a run still going stays')
    assert.ok(left.includes(notATestTopic), 'a topic not named by the tests is never touched')
  } finally {
    await admin.deleteTopics({ topics: [young, notATestTopic] }).catch(() => undefined)
    await admin.close()
  }
})
