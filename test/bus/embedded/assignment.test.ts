import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TopicPartition } from '../../../src/bus/bus.ts'
import { assignPartitions } from '../../../src/bus/embedded/assignment.ts'

const six = (): number => 6
const show = (plan: Map<string, TopicPartition[]>): Record<string, string> =>
  Object.fromEntries(
    [...plan].map(([id, tps]) => [id, tps.map(tp => `${tp.topic}/${tp.partition}`).join(' ')])
  )

test('the partitions of a topic are shared evenly, the earliest members taking the remainder', () => {
  const plan = assignPartitions(
    ['a', 'b', 'c', 'd'].map(id => ({ id, topics: ['t'] })),
    six
  )
  assert.deepEqual(show(plan), { a: 't/0 t/4', b: 't/1 t/5', c: 't/2', d: 't/3' })
})

test('a member joining takes only as many partitions as balance requires; the others stay where they are', () => {
  const two = assignPartitions(
    [
      { id: 'a', topics: ['t'] },
      { id: 'b', topics: ['t'] }
    ],
    six
  )
  const three = assignPartitions(
    ['a', 'b', 'c'].map(id => ({ id, topics: ['t'] })),
    six,
    two
  )
  const moved = [...(three.get('c') ?? [])]
  assert.equal(moved.length, 2)
  for (const id of ['a', 'b']) {
    const kept = three.get(id) ?? []
    assert.equal(kept.length, 2)
    for (const tp of kept)
      assert.ok(
        two.get(id)?.some(p => p.partition === tp.partition),
        `${id} kept its own`
      )
  }
})

test('when a member leaves, only its partitions move', () => {
  const three = assignPartitions(
    ['a', 'b', 'c'].map(id => ({ id, topics: ['t'] })),
    six
  )
  const two = assignPartitions(
    [
      { id: 'a', topics: ['t'] },
      { id: 'c', topics: ['t'] }
    ],
    six,
    three
  )
  for (const id of ['a', 'c']) {
    for (const tp of three.get(id) ?? []) assert.ok(two.get(id)?.some(p => p.partition === tp.partition))
    assert.equal(two.get(id)?.length, 3)
  }
})

test('a member only gets partitions of the topics it subscribed to, and more members than partitions leaves some idle', () => {
  const plan = assignPartitions(
    [
      { id: 'a', topics: ['x'] },
      { id: 'b', topics: ['x', 'y'] },
      { id: 'c', topics: ['x'] }
    ],
    topic => (topic === 'x' ? 2 : 3)
  )
  assert.deepEqual(show(plan), { a: 'x/0', b: 'x/1 y/0 y/1 y/2', c: '' })
})
