/** The chart's model: which change each live point is (so the facade picks `update` over `setData`), and VWAP. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Bar, sessionVwap, sessionVwapAt } from '../../src/web/chart/bars.ts'
import { ChartWindow } from '../../src/web/chart/chart-window.ts'
import { SortedSeries } from '../../src/web/chart/sorted-series.ts'

const point = (time: number, value = time): { time: number; value: number } => ({ time, value })

test('a live point after the last appends, at the last replaces it, before it replaces or inserts', () => {
  const series = new SortedSeries<{ time: number; value: number }>()
  series.reset([point(30), point(10), point(20)])
  assert.deepEqual(
    series.items.map(p => p.time),
    [10, 20, 30]
  )
  assert.equal(series.upsert(point(40)), 'append')
  assert.equal(series.upsert(point(40, 41)), 'replace-last')
  assert.equal(series.upsert(point(20, 21)), 'replace-older')
  assert.equal(series.upsert(point(25)), 'insert')
  assert.deepEqual(
    series.items.map(p => [p.time, p.value]),
    [
      [10, 10],
      [20, 21],
      [25, 25],
      [30, 30],
      [40, 41]
    ]
  )
})

test('merging an older page adds only the new times and keeps the live values already held', () => {
  const series = new SortedSeries<{ time: number; value: number }>()
  series.reset([point(30, 300), point(40, 400)])
  const added = series.merge([point(10), point(20), point(30, -1)])
  assert.equal(added, 2)
  assert.deepEqual(
    series.items.map(p => [p.time, p.value]),
    [
      [10, 10],
      [20, 20],
      [30, 300],
      [40, 400]
    ]
  )
  assert.equal(series.indexOf(25), -3)
  assert.equal(series.at(20)?.value, 20)
})

test('session VWAP restarts at 00:00 UTC and the incremental value equals the full computation', () => {
  const day = 86_400
  const bar = (time: number, price: number, volume: number): Bar => ({
    time,
    open: price,
    high: price,
    low: price,
    close: price,
    volume,
    quoteVolume: price * volume
  })
  const bars = [bar(day - 120, 100, 1), bar(day - 60, 110, 3), bar(day, 200, 1), bar(day + 60, 100, 1)]
  const line = sessionVwap(bars)
  assert.deepEqual(
    line.map(p => p.value),
    [100, 107.5, 200, 150]
  )
  bars.forEach((_, i) => assert.equal(sessionVwapAt(bars, i), line[i]?.value))
})

test('the chart holds a window of the newest bars that grows as the user pans back and shrinks on return', () => {
  const window = new ChartWindow(2_000)
  assert.equal(window.start(100_000), 98_000)
  assert.equal(window.grow(100_000), true)
  assert.equal(window.start(100_000), 96_000)
  assert.equal(window.shouldShrink(100, 4_000), false, 'still looking at old bars')
  assert.equal(window.shouldShrink(3_500, 4_000), true, 'back at the newest bars')
  window.reset()
  assert.equal(window.start(1_500), 0)
  assert.equal(window.grow(1_500), false, 'nothing more in the model: ask the API')
  window.extend(1_000)
  assert.equal(window.size, 3_000)
})
