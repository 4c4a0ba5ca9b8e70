import assert from 'node:assert/strict'
import { test } from 'node:test'
import { murmur2, partitionForKey } from '../../src/bus/partitioner.ts'

// Reference values from Apache Kafka's own UtilsTest (org.apache.kafka.common.utils), so that our
// placement equals the Java client's and any tool's that writes our topics.
const javaVectors: [string | number[], number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  [[0x61, 0x62, 0x63], 479470107]
]

test('murmur2 equals the Java client hash on its reference vectors', () => {
  for (const [input, expected] of javaVectors) {
    const bytes = typeof input === 'string' ? Buffer.from(input) : Uint8Array.from(input)
    assert.equal(murmur2(bytes), expected, `murmur2(${JSON.stringify(input)})`)
  }
})

test('a key always maps to the same partition within range', () => {
  for (const key of ['BTC/USD', 'ETH/USD', 'DOGE/USD', '', 'ü-ñ']) {
    const partition = partitionForKey(key, 3)
    assert.ok(partition >= 0 && partition < 3)
    assert.equal(partitionForKey(key, 3), partition)
  }
  assert.equal(partitionForKey('foobar', 7), (-790332482 & 0x7fffffff) % 7)
})
