import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCryptoVizError } from '../../../src/errors/errors.ts'
import { openBus, readAll, tempDir, topic } from '../../helpers/embedded.ts'

test('publishing or subscribing to an undeclared topic fails clearly, naming the declared ones', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('rawtrade', 3), topic('rawticker', 3)])
  try {
    const unknown = (error: unknown): boolean => {
      assert.ok(isCryptoVizError(error, 'CV_ERR_BUS_UNKNOWN_TOPIC'))
      assert.match(
        error.message,
        /"rawtrades" does not exist on the embedded bus \(declared: rawtrade, rawticker\)/
      )
      return true
    }
    await assert.rejects(bus.publish([{ topic: 'rawtrades', key: 'k', value: 'v' }]), unknown)
    await assert.rejects(
      bus.subscribe({ groupId: 'g', topics: ['rawtrades'], handler: async () => undefined }),
      unknown
    )
  } finally {
    await bus.close()
  }
})

test('a second bus on a folder already open is refused with CV_ERR_BUS_LOCKED, and allowed once the first closed', async () => {
  const dir = await tempDir()
  const first = await openBus(dir, [topic('t')])
  await assert.rejects(openBus(dir, [topic('t')]), (error: unknown) => {
    assert.ok(isCryptoVizError(error, 'CV_ERR_BUS_LOCKED'))
    assert.match(error.message, new RegExp(`${dir} is in use by this process`))
    return true
  })
  await first.close()
  const second = await openBus(dir, [topic('t')])
  await second.close()
})

test('concurrent publishers all resolve, and each keeps its own order per key', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t', 3)])
  try {
    const producers = ['p1', 'p2', 'p3', 'p4']
    await Promise.all(
      producers.map(async producer => {
        for (let n = 0; n < 20; n++) {
          await bus.publish([
            { topic: 't', key: `${producer}-x`, value: `${producer}:${n}` },
            { topic: 't', key: `${producer}-y`, value: `${producer}:${n}` }
          ])
        }
      })
    )
    const records = await readAll(bus, ['t'])
    assert.equal(records.length, producers.length * 40)
    for (const producer of producers) {
      for (const key of [`${producer}-x`, `${producer}-y`]) {
        const ns = records.filter(r => r.key === key).map(r => Number(r.value.toString().split(':')[1]))
        assert.deepEqual(
          ns,
          Array.from({ length: 20 }, (_, n) => n),
          `order of ${key}`
        )
      }
    }
  } finally {
    await bus.close()
  }
})

test('a record too large for the log is refused before anything of its publish is written', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t')])
  try {
    await assert.rejects(
      bus.publish([
        { topic: 't', key: 'k', value: 'small' },
        { topic: 't', key: 'k', value: Buffer.alloc(17 * 1024 * 1024) }
      ]),
      (error: unknown) => isCryptoVizError(error, 'CV_ERR_BUS_PUBLISH') && !error.retryable
    )
    const [offsets] = await bus.inspector.partitionOffsets(['t'])
    assert.equal(offsets?.end, 0n)
  } finally {
    await bus.close()
  }
})

test('publish and subscribe after close fail with CV_ERR_BUS_CLOSED', async () => {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t')])
  await bus.close()
  await assert.rejects(bus.publish([{ topic: 't', key: 'k', value: 'v' }]), (error: unknown) =>
    isCryptoVizError(error, 'CV_ERR_BUS_CLOSED')
  )
  await assert.rejects(
    bus.subscribe({ groupId: 'g', topics: ['t'], handler: async () => undefined }),
    (error: unknown) => isCryptoVizError(error, 'CV_ERR_BUS_CLOSED')
  )
})
