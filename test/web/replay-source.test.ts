/** Replay sources: stored history read in windows ahead of the playhead and emitted as it passes. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { LiveEvent } from '../../src/web/data/types.ts'
import { type WindowFetcher, WindowedSource } from '../../src/web/replay/windowed-source.ts'

const MINUTE = 60_000
const event = (at: number): LiveEvent => ({
  type: 'event',
  channel: 'trades:BTC/USD',
  key: 'BTC/USD',
  storedAt: '',
  data: at
})
/**
 * Every promise callback queued so far has run. The fetcher below answers without I/O, so by then
 * each window asked for has been read and handed to the source, and every read it chains (the next
 * window, when the look-ahead wants more) has been too: the source is idle until the next advance.
 */
const settled = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

/** One item every minute in [0, 60 min), served in whatever window is asked for. */
function history(windows: [number, number][], failFirst = false): WindowFetcher {
  let calls = 0
  return async (from, to) => {
    windows.push([from, to])
    if (failFirst && calls++ === 0) throw new Error('API away')
    const items = []
    for (let at = Math.ceil(from / MINUTE) * MINUTE; at < to && at < 60 * MINUTE; at += MINUTE)
      items.push({ at, event: event(at) })
    return { items, reached: to }
  }
}

test('items are emitted once, in time order, when the playhead passes them, and not before', async () => {
  const emitted: number[] = []
  const windows: [number, number][] = []
  const source = new WindowedSource({
    fetch: history(windows),
    start: 10 * MINUTE,
    end: 60 * MINUTE,
    span: 5 * MINUTE,
    emit: e => emitted.push(e.data as number)
  })
  source.advance(10 * MINUTE - 1, 1)
  await settled()
  assert.deepEqual(windows, [[10 * MINUTE, 15 * MINUTE]], 'the first window is read')
  source.advance(10 * MINUTE - 1, 1)
  assert.deepEqual(emitted, [], 'its items wait for the playhead')
  source.advance(12 * MINUTE, 1)
  assert.deepEqual(
    emitted,
    [10, 11, 12].map(m => m * MINUTE)
  )
  await settled()
  source.advance(12 * MINUTE, 1)
  assert.deepEqual(
    emitted,
    [10, 11, 12].map(m => m * MINUTE),
    'nothing is emitted twice'
  )
  source.advance(13 * MINUTE + 30_000, 1)
  assert.deepEqual(emitted.slice(3), [13 * MINUTE])
  source.dispose()
})

test('reading runs ahead of the playhead in windows, further at higher speeds, and never past the end', async () => {
  const windows: [number, number][] = []
  const source = new WindowedSource({
    fetch: history(windows),
    start: 0,
    end: 60 * MINUTE,
    span: 5 * MINUTE,
    emit: () => undefined
  })
  source.advance(0, 1)
  await settled()
  assert.deepEqual(windows, [[0, 5 * MINUTE]], 'at 1× one window covers the minute of look-ahead')
  source.advance(0, 100)
  await settled()
  const at100 = windows.at(-1)?.[1] ?? 0
  assert.ok(
    at100 >= 30 * MINUTE && at100 < 60 * MINUTE,
    `at 100× it reads about half an hour ahead (${at100 / MINUTE} min)`
  )
  source.advance(0, 1000)
  await settled()
  assert.equal(windows.at(-1)?.[1], 60 * MINUTE, 'at 1000× it reads on to the end of the range, not past it')
  source.advance(0, 1000)
  await settled()
  assert.equal(windows.at(-1)?.[1], 60 * MINUTE, 'and no further once there')
  assert.ok(
    windows.every(([from], i) => i === 0 || from === windows[i - 1]?.[1]),
    'windows are contiguous'
  )
  source.dispose()
})

test('a window that fails is read again after the retry delay, not before, and nothing is skipped', async t => {
  // The source's retry delay is measured with Date.now: mocked, it moves only when the test moves it.
  t.mock.timers.enable({ apis: ['Date'], now: Date.UTC(2026, 0, 1) })
  const emitted: number[] = []
  const windows: [number, number][] = []
  const source = new WindowedSource({
    fetch: history(windows, true),
    start: 0,
    end: 10 * MINUTE,
    span: 10 * MINUTE,
    emit: e => emitted.push(e.data as number)
  })
  source.advance(2 * MINUTE, 1)
  await settled()
  assert.deepEqual(windows, [[0, 10 * MINUTE]], 'the window was asked for, and that read failed')
  assert.deepEqual(emitted, [])
  t.mock.timers.tick(2_999)
  source.advance(2 * MINUTE, 1)
  await settled()
  assert.equal(windows.length, 1, 'not asked again within the retry delay')
  t.mock.timers.tick(1)
  source.advance(2 * MINUTE, 1)
  await settled()
  source.advance(2 * MINUTE, 1)
  assert.deepEqual(windows, [
    [0, 10 * MINUTE],
    [0, 10 * MINUTE]
  ])
  assert.deepEqual(
    emitted,
    [0, 1, 2].map(m => m * MINUTE)
  )
  source.dispose()
})
