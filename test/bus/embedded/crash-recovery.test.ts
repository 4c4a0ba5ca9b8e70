import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { appendFile, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { test } from 'node:test'
import { openBus, readAll, segmentsOf, tempDir, topic } from '../../helpers/embedded.ts'
import { waitFor } from '../../helpers/wait.ts'

async function tenRecords(): Promise<{ dir: string; segment: string; size: number }> {
  const dir = await tempDir()
  const bus = await openBus(dir, [topic('t')])
  for (let n = 0; n < 10; n++) await bus.publish([{ topic: 't', key: 'k', value: `record-${n}` }])
  await bus.close()
  const [segment = ''] = await segmentsOf(dir, 't')
  return { dir, segment, size: (await stat(segment)).size }
}

async function reopenAndRead(dir: string): Promise<{ values: string[]; end: bigint; nextOffset: bigint }> {
  const bus = await openBus(dir, [topic('t')])
  try {
    const values = (await readAll(bus, ['t'])).map(r => r.value.toString())
    const [offsets] = await bus.inspector.partitionOffsets(['t'])
    await bus.publish([{ topic: 't', key: 'k', value: 'after-recovery' }])
    const records = await readAll(bus, ['t'])
    return { values, end: offsets?.end ?? -1n, nextOffset: records.at(-1)?.offset ?? -1n }
  } finally {
    await bus.close()
  }
}

const expected = (count: number) => Array.from({ length: count }, (_, n) => `record-${n}`)

test('a record cut short by a crash mid-write is dropped on open, and the records before it are read', async () => {
  const { dir, segment, size } = await tenRecords()
  await truncate(segment, size - 5)
  const { values, end, nextOffset } = await reopenAndRead(dir)
  assert.deepEqual(values, expected(9))
  assert.equal(end, 9n)
  assert.equal(nextOffset, 9n, 'the next record reuses the offset of the dropped one')
})

test('garbage after the last record (a torn write of a new batch) is cut off, and every record is kept', async () => {
  const { dir, segment, size } = await tenRecords()
  await appendFile(segment, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
  const { values, end } = await reopenAndRead(dir)
  assert.deepEqual(values, expected(10))
  assert.equal(end, 10n)
  assert.equal((await stat(segment)).size > size, true, 'the new record was appended after the cut')
})

test('a last record whose bytes were garbled fails its checksum and is dropped', async () => {
  const { dir, segment, size } = await tenRecords()
  const bytes = await readFile(segment)
  bytes[size - 3] = (bytes[size - 3] ?? 0) ^ 0xff
  await writeFile(segment, bytes)
  const { values } = await reopenAndRead(dir)
  assert.deepEqual(values, expected(9))
})

test('a process killed while publishing loses no acknowledged record, and its lock is taken over', async () => {
  const dir = await tempDir()
  const child = spawn(process.execPath, ['test/helpers/embedded-writer.ts', dir], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let acknowledged = 0
  child.stdout.on('data', (chunk: Buffer) => {
    const last = chunk.toString().trim().split('\n').at(-1)
    acknowledged = Math.max(acknowledged, Number(last))
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  await waitFor('the writer to acknowledge some records', () => acknowledged >= 2_000, 60_000)
  child.kill('SIGKILL')
  await exited
  const bus = await openBus(dir, [topic('crash', 2)])
  try {
    const values = new Set((await readAll(bus, ['crash'])).map(r => Number(r.value.toString())))
    for (let n = 0; n < acknowledged; n++) assert.ok(values.has(n), `acknowledged record ${n} survived`)
    const [first, second] = await bus.inspector.partitionOffsets(['crash'])
    assert.equal(Number((first?.end ?? 0n) + (second?.end ?? 0n)), values.size, 'offsets are contiguous')
  } finally {
    await bus.close()
  }
})

test('a segment removed by hand leaves a gap that readers skip, and the records around it are read', async () => {
  const dir = await tempDir()
  const first = await openBus(dir, [topic('t')], { segmentBytes: 1_024 })
  for (let n = 0; n < 60; n++)
    await first.publish([{ topic: 't', key: 'k', value: `${n}:${'x'.repeat(100)}` }])
  await first.close()
  const segments = await segmentsOf(dir, 't')
  assert.ok(segments.length >= 3, `${segments.length} segments`)
  await rm(segments[1] ?? '')
  const bus = await openBus(dir, [topic('t')], { segmentBytes: 1_024 })
  try {
    const seen: number[] = []
    const member = await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async batch => {
        seen.push(...batch.map(r => Number(r.value.toString().split(':')[0])))
      }
    })
    await waitFor('the last record', () => seen.at(-1) === 59)
    await member.close()
    const missing = Array.from({ length: 60 }, (_, n) => n).filter(n => !seen.includes(n))
    assert.ok(missing.length > 0 && seen[0] === 0, 'records of the first segment, then a gap')
    assert.deepEqual(
      missing,
      Array.from({ length: missing.length }, (_, i) => (missing[0] ?? 0) + i),
      'only the removed segment is missing'
    )
  } finally {
    await bus.close()
  }
})
