/**
 * The bus contract (src/bus/bus.ts) as behaviour tests, registered once per implementation: the
 * same tests run against real Kafka (kafka-contract.test.ts) and the embedded log
 * (embedded-contract.test.ts). A difference is declared as a skip with its reason, never hidden.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ConsumedRecord } from '../../src/bus/bus.ts'
import { partitionForKey } from '../../src/bus/partitioner.ts'
import { isCryptoVizError } from '../../src/errors/errors.ts'
import { uniqueName } from '../helpers/names.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  type BusFixture,
  type ContractTarget,
  GROUP_TIMEOUT_MS,
  label,
  record,
  waitForAssignments,
  waitForValues
} from './contract-fixture.ts'

const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD', 'XRP/USD', 'ADA/USD', 'DOGE/USD', 'DOT/USD', 'LTC/USD']

function body(record: ConsumedRecord): { key: string; n: number } {
  return JSON.parse(record.value.toString()) as { key: string; n: number }
}

export function busContract(target: ContractTarget): void {
  describe(`bus contract: ${target.name}`, () => {
    const contractTest = (name: string, run: (fixture: BusFixture) => Promise<void>): void => {
      const skip = target.skip?.find(s => s.tests.includes(name))
      test(name, skip === undefined ? {} : { skip: skip.reason }, async () => {
        const fixture = await target.fixture()
        try {
          await run(fixture)
        } finally {
          await fixture.dispose()
        }
      })
    }

    contractTest(
      'a record lands in the partition its key maps to, and each key keeps its publish order',
      async fx => {
        const [topic = ''] = await fx.topics(3, 'keyed')
        const bus = await fx.open()
        for (let n = 1; n <= 3; n++) {
          await bus.publish(symbols.map(key => ({ topic, key, value: JSON.stringify({ key, n }) })))
        }
        await bus.publish(
          symbols.flatMap(key => [4, 5].map(n => ({ topic, key, value: JSON.stringify({ key, n }) })))
        )
        const member = await record(bus, { groupId: uniqueName('g-keyed'), topics: [topic] })
        await waitForValues(member, symbols.length * 5)
        for (const r of member.records)
          assert.equal(r.partition, partitionForKey(r.key ?? '', 3), `partition of ${r.key}`)
        for (const key of symbols) {
          const ns = member.records.filter(r => r.key === key).map(r => body(r).n)
          assert.deepEqual(ns, [1, 2, 3, 4, 5], `order of ${key}`)
        }
        for (let partition = 0; partition < 3; partition++) {
          const offsets = member.records.filter(r => r.partition === partition).map(r => r.offset)
          assert.deepEqual(
            offsets,
            [...offsets].sort((a, b) => (a < b ? -1 : 1)),
            `offsets of partition ${partition} ascend`
          )
        }
        assert.equal(member.subscription.assignments().length, 3)
      }
    )

    contractTest(
      'headers, binary values and unicode keys travel unchanged, stamped with the publish time',
      async fx => {
        const [topic = ''] = await fx.topics(1, 'headers')
        const bus = await fx.open()
        const value = Buffer.from([0, 255, 1, 254, 10, 13, 0])
        const before = Date.now()
        await bus.publish([
          { topic, key: 'ü-ñ/€', value, headers: { 'x-origin': 'rawtrade/2/41', reason: 'bad price: ∞' } },
          { topic, key: 'plain', value: 'text' }
        ])
        const after = Date.now()
        const member = await record(bus, { groupId: uniqueName('g-headers'), topics: [topic] })
        await waitForValues(member, 2)
        const [first, second] = member.records
        assert.equal(first?.key, 'ü-ñ/€')
        assert.deepEqual(first?.value, value)
        assert.deepEqual(first?.headers, { 'x-origin': 'rawtrade/2/41', reason: 'bad price: ∞' })
        assert.deepEqual(second?.headers, {})
        assert.equal(typeof first?.offset, 'bigint')
        // Clocks: a broker on this machine stamps with its own clock; allow a second of slack.
        assert.ok((first?.timestamp ?? 0) >= before - 1_000 && (first?.timestamp ?? 0) <= after + 1_000)
      }
    )

    contractTest(
      'a handler that throws gets the same records again, nothing newer meanwhile, and they are committed once it succeeds',
      async fx => {
        const [topic = ''] = await fx.topics(1, 'retry')
        const bus = await fx.open()
        await bus.publish(['1', '2', '3', '4', '5'].map(value => ({ topic, key: 'k', value })))
        const groupId = uniqueName('g-retry')
        const attempts: string[][] = []
        const errors: number[] = []
        const member = await record(bus, {
          groupId,
          topics: [topic],
          retryBackoffMs: { min: 20, max: 50 },
          onHandlerError: (_error, attempt) => errors.push(attempt),
          handler: async batch => {
            attempts.push(batch.map(r => r.value.toString()))
            // A record arriving while the batch fails must wait: the partition pauses.
            if (attempts.length === 1) await bus.publish([{ topic, key: 'k', value: '6' }])
            if (attempts.length <= 2) throw new Error('database unavailable')
          }
        })
        const values = await waitForValues(member, 6)
        assert.deepEqual(values, ['1', '2', '3', '4', '5', '6'])
        assert.deepEqual(errors, [1, 2])
        assert.deepEqual(attempts[1], attempts[0], 'the retry holds the same records, and only them')
        assert.ok(!attempts[0]?.includes('6'))
        const [lag] = await waitFor(
          'the commit',
          async () => {
            const offsets = await bus.inspector?.groupOffsets(groupId, [topic])
            return offsets?.[0]?.committed === 6n ? offsets : undefined
          },
          GROUP_TIMEOUT_MS
        )
        assert.equal(lag?.lag, 0n)
      }
    )

    contractTest(
      'a member closed before its handler succeeded leaves the records to the next member of its group',
      async fx => {
        const [topic = ''] = await fx.topics(1, 'handover')
        const bus = await fx.open()
        const groupId = uniqueName('g-handover')
        await bus.publish(['a', 'b'].map(value => ({ topic, key: 'k', value })))
        let attempts = 0
        const failing = await record(bus, {
          groupId,
          topics: [topic],
          retryBackoffMs: { min: 20, max: 50 },
          handler: async () => {
            attempts++
            throw new Error('always fails')
          }
        })
        await waitFor('a failed attempt', () => attempts >= 1, GROUP_TIMEOUT_MS)
        await failing.subscription.close()
        const next = await record(bus, { groupId, topics: [topic] })
        assert.deepEqual(await waitForValues(next, 2), ['a', 'b'])
        await next.subscription.close()
        await bus.publish([{ topic, key: 'k', value: 'c' }])
        const third = await record(bus, { groupId, topics: [topic] })
        assert.deepEqual(await waitForValues(third, 1), ['c'], 'what the second member handled was committed')
      }
    )

    contractTest('close lets the batch in flight finish and commits it', async fx => {
      const [topic = ''] = await fx.topics(1, 'close')
      const bus = await fx.open()
      const groupId = uniqueName('g-close')
      await bus.publish(['1', '2'].map(value => ({ topic, key: 'k', value })))
      let started = false
      let finished = false
      let release = (): void => undefined
      const held = new Promise<void>(resolve => {
        release = resolve
      })
      const member = await record(bus, {
        groupId,
        topics: [topic],
        handler: async () => {
          started = true
          await held
          finished = true
        }
      })
      await waitFor('the handler to start', () => started, GROUP_TIMEOUT_MS)
      let closed = false
      const closing = member.subscription.close().then(() => {
        closed = true
      })
      // The handler holds its batch until another group, subscribed after close was called, has
      // joined and read the records: more round trips than close needs on its own (stop reading,
      // leave the group), so a close that did not wait for the handler would have returned by then.
      const witness = await record(bus, { groupId: uniqueName('g-close-witness'), topics: [topic] })
      await waitForValues(witness, 2)
      assert.equal(closed, false, 'close is still waiting for the handler')
      release()
      await closing
      assert.ok(finished, 'close waited for the handler')
      const [offsets] = (await bus.inspector?.groupOffsets(groupId, [topic])) ?? []
      assert.equal(offsets?.committed, 2n, 'and committed its batch')
      await witness.subscription.close()
    })

    contractTest(
      'two members of a group share the partitions, one owner each, and the survivor takes over when one leaves',
      async fx => {
        const [topic = ''] = await fx.topics(3, 'share')
        const bus = await fx.open()
        const groupId = uniqueName('g-share')
        const handling = new Map<number, string>()
        const overlaps: string[] = []
        const guard = (name: string) => async (batch: readonly ConsumedRecord[]) => {
          const partitions = [...new Set(batch.map(r => r.partition))]
          for (const p of partitions) {
            const other = handling.get(p)
            if (other !== undefined && other !== name) overlaps.push(`${name} and ${other} on partition ${p}`)
            handling.set(p, name)
          }
          // Hold the partitions across a turn of the event loop: a batch of another member on one of
          // them, if there were one, would be handled now and show up as an overlap.
          await new Promise(resolve => setImmediate(resolve))
          for (const p of partitions) if (handling.get(p) === name) handling.delete(p)
        }
        const a = await record(bus, { groupId, topics: [topic], handler: guard('a') })
        await waitForAssignments(a.subscription, 3)
        const b = await record(bus, { groupId, topics: [topic], handler: guard('b') })
        await waitFor(
          'the partitions split between both members',
          () =>
            a.subscription.assignments().length + b.subscription.assignments().length === 3 &&
            a.subscription.assignments().length > 0 &&
            b.subscription.assignments().length > 0,
          GROUP_TIMEOUT_MS
        )
        const ownedByA = a.subscription.assignments().map(label)
        const ownedByB = b.subscription.assignments().map(label)
        assert.deepEqual(
          [...ownedByA, ...ownedByB].sort(),
          [0, 1, 2].map(p => `${topic}/${p}`)
        )
        assert.deepEqual(
          b.assignedCalls.at(-1)?.map(label).sort(),
          [...ownedByB].sort(),
          'onAssigned told b what it owns'
        )

        const first = Array.from({ length: 60 }, (_, n) => ({
          topic,
          key: `sym-${n % 12}`,
          value: `first-${n}`
        }))
        await bus.publish(first)
        await waitFor(
          'the first records',
          () => new Set([...a.values(), ...b.values()]).size >= 60,
          GROUP_TIMEOUT_MS
        )
        for (const r of a.records)
          assert.ok(ownedByA.includes(label(r)), `a handled ${label(r)} it does not own`)
        for (const r of b.records)
          assert.ok(ownedByB.includes(label(r)), `b handled ${label(r)} it does not own`)

        await b.subscription.close()
        await waitForAssignments(a.subscription, 3)
        assert.equal(a.assignedCalls.at(-1)?.length, 3, 'onAssigned told a it owns everything')
        const second = Array.from({ length: 30 }, (_, n) => ({
          topic,
          key: `sym-${n % 12}`,
          value: `second-${n}`
        }))
        await bus.publish(second)
        await waitFor(
          'the second records, all by a',
          () => a.values().filter(v => v.startsWith('second-')).length >= 30,
          GROUP_TIMEOUT_MS
        )
        const seen = new Set([...a.values(), ...b.values()])
        for (const r of [...first, ...second]) assert.ok(seen.has(r.value), `${r.value} was handled`)
        assert.deepEqual(overlaps, [], 'no partition was handled by two members at once')
      }
    )

    contractTest(
      'a group without committed offsets starts at the end with from: latest and at the start by default',
      async fx => {
        const [topic = ''] = await fx.topics(1, 'from')
        const bus = await fx.open()
        await bus.publish([{ topic, key: 'k', value: 'old' }])
        const latest = await record(bus, { groupId: uniqueName('g-latest'), topics: [topic], from: 'latest' })
        await waitForAssignments(latest.subscription, 1)
        // The broker resolves "latest" a moment after the assignment: publish until one arrives.
        let n = 0
        await waitFor(
          'a record published after from: latest joined',
          async () => {
            if (latest.records.length > 0) return true
            await bus.publish([{ topic, key: 'k', value: `new-${n++}` }])
            return false
          },
          GROUP_TIMEOUT_MS,
          500
        )
        assert.ok(!latest.values().includes('old'), 'from: latest skipped what was there before')
        const earliest = await record(bus, { groupId: uniqueName('g-earliest'), topics: [topic] })
        assert.equal((await waitForValues(earliest, 1))[0], 'old')
      }
    )

    contractTest(
      'a new bus instance resumes a group from its committed offsets, and the records are still there',
      async fx => {
        const [topic = ''] = await fx.topics(2, 'restart')
        const groupId = uniqueName('g-restart')
        const first = await fx.open()
        await first.publish(['a', 'b', 'c'].map((value, n) => ({ topic, key: `k${n}`, value })))
        const before = await record(first, { groupId, topics: [topic] })
        await waitForValues(before, 3)
        await before.subscription.close()
        await first.close()

        const second = await fx.open()
        await second.publish([{ topic, key: 'k9', value: 'd' }])
        const after = await record(second, { groupId, topics: [topic] })
        assert.deepEqual(await waitForValues(after, 1), ['d'])
        const everything = await record(second, { groupId: uniqueName('g-replay'), topics: [topic] })
        assert.deepEqual((await waitForValues(everything, 4)).sort(), ['a', 'b', 'c', 'd'])
      }
    )

    contractTest(
      'publishing to a topic that does not exist fails with CV_ERR_BUS_UNKNOWN_TOPIC',
      async fx => {
        const [topic = ''] = await fx.topics(1, 'known')
        const bus = await fx.open()
        const missing = uniqueName('t-missing')
        await assert.rejects(
          bus.publish([
            { topic, key: 'k', value: 'with-the-bad-one' },
            { topic: missing, key: 'k', value: 'x' }
          ]),
          (error: unknown) => {
            assert.ok(isCryptoVizError(error, 'CV_ERR_BUS_UNKNOWN_TOPIC'), String(error))
            assert.match(error.message, new RegExp(missing))
            assert.equal(error.retryable, false)
            return true
          }
        )
        await bus.publish([{ topic, key: 'k', value: 'after' }])
        const member = await record(bus, { groupId: uniqueName('g-known'), topics: [topic] })
        assert.deepEqual(
          await waitForValues(member, 1),
          ['after'],
          'nothing of the failed publish was written'
        )
      }
    )

    contractTest('batches hold at most maxBatchRecords records', async fx => {
      const [topic = ''] = await fx.topics(1, 'batch')
      const bus = await fx.open()
      await bus.publish(Array.from({ length: 25 }, (_, n) => ({ topic, key: 'k', value: String(n) })))
      const sizes: number[] = []
      const member = await record(bus, {
        groupId: uniqueName('g-batch'),
        topics: [topic],
        maxBatchRecords: 10,
        handler: async batch => {
          sizes.push(batch.length)
        }
      })
      assert.deepEqual(
        await waitForValues(member, 25),
        Array.from({ length: 25 }, (_, n) => String(n))
      )
      assert.ok(
        sizes.every(size => size >= 1 && size <= 10),
        `batch sizes ${sizes.join(',')}`
      )
    })

    contractTest(
      'the inspector reports each partition’s offsets and a group’s committed offsets and lag',
      async fx => {
        const [topic = ''] = await fx.topics(2, 'inspect')
        const bus = await fx.open()
        const inspector = bus.inspector
        assert.ok(inspector, 'the bus offers an inspector')
        const keys = ['a', 'b', 'c', 'd', 'e', 'f']
        await bus.publish(keys.map(key => ({ topic, key, value: key })))
        const perPartition = [0, 1].map(p => BigInt(keys.filter(k => partitionForKey(k, 2) === p).length))
        const offsets = await inspector.partitionOffsets([topic])
        assert.deepEqual(
          offsets.map(o => [o.partition, o.start, o.end]),
          [
            [0, 0n, perPartition[0]],
            [1, 0n, perPartition[1]]
          ]
        )
        const groupId = uniqueName('g-inspect')
        const untouched = await inspector.groupOffsets(groupId, [topic])
        assert.deepEqual(
          untouched.map(o => [o.committed, o.lag]),
          perPartition.map(n => [undefined, n])
        )
        const member = await record(bus, { groupId, topics: [topic] })
        await waitForValues(member, keys.length)
        const done = await waitFor(
          'commits on both partitions',
          async () => {
            const now = await inspector.groupOffsets(groupId, [topic])
            return now.every(o => o.lag === 0n) ? now : undefined
          },
          GROUP_TIMEOUT_MS
        )
        assert.deepEqual(
          done.map(o => o.committed),
          perPartition
        )
        await assert.rejects(inspector.partitionOffsets([uniqueName('t-missing')]), (error: unknown) =>
          isCryptoVizError(error, 'CV_ERR_BUS_UNKNOWN_TOPIC')
        )
      }
    )

    contractTest(
      'the inspector lists the groups that committed on the given topics, each with only the partitions it committed on',
      async fx => {
        const [read = '', unread = ''] = await fx.topics(2, 'groups-read', 'groups-unread')
        const bus = await fx.open()
        const inspector = bus.inspector
        assert.ok(inspector, 'the bus offers an inspector')
        const keys = ['a', 'b', 'c', 'd']
        await bus.publish([read, unread].flatMap(topic => keys.map(key => ({ topic, key, value: key }))))
        const groupId = uniqueName('g-groups')
        const ours = async () =>
          (await inspector.consumerGroups([read, unread])).find(g => g.groupId === groupId)
        assert.equal(await ours(), undefined, 'a group that never committed is not listed')
        const member = await record(bus, { groupId, topics: [read] })
        await waitForValues(member, keys.length)
        const listed = await waitFor(
          'the group listed with its commits on both partitions',
          async () => {
            const group = await ours()
            return group?.partitions.length === 2 && group.partitions.every(p => p.lag === 0n)
              ? group
              : undefined
          },
          GROUP_TIMEOUT_MS
        )
        assert.deepEqual(
          listed.partitions.map(p => [p.topic, p.partition, p.committed]),
          [0, 1].map(p => [read, p, BigInt(keys.filter(k => partitionForKey(k, 2) === p).length)]),
          'the topic it does not read is not its lag'
        )
        await member.subscription.close()
        await bus.publish([{ topic: read, key: 'a', value: 'later' }])
        const after = await waitFor(
          'the group without members, one record behind',
          async () => {
            const group = await ours()
            return group?.state === 'Empty' && group.partitions.some(p => p.lag === 1n) ? group : undefined
          },
          GROUP_TIMEOUT_MS
        )
        assert.equal(
          after.partitions.reduce((sum, p) => sum + p.lag, 0n),
          1n
        )
      }
    )
  })
}
