/**
 * Key → partition, identical to the Java client's default partitioner (murmur2 of the UTF-8 key,
 * positive-masked, modulo the partition count), so that any Kafka client or tool writing our topics
 * places a symbol in the same partition as we do, and the embedded log matches Kafka exactly.
 */
const SEED = 0x9747b28c
const M = 0x5bd1e995

// Indexing is bounds-checked by the loop, hence the `as number` casts below.
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = (SEED ^ length) | 0
  const blocks = length & ~3
  for (let i = 0; i < blocks; i += 4) {
    let k =
      ((data[i] as number) & 0xff) |
      (((data[i + 1] as number) & 0xff) << 8) |
      (((data[i + 2] as number) & 0xff) << 16) |
      (((data[i + 3] as number) & 0xff) << 24)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & 3
  if (tail === 3) h ^= ((data[blocks + 2] as number) & 0xff) << 16
  if (tail >= 2) h ^= ((data[blocks + 1] as number) & 0xff) << 8
  if (tail >= 1) {
    h ^= (data[blocks] as number) & 0xff
    h = Math.imul(h, M)
  }
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

/** The non-negative hash whose remainder modulo the partition count is the partition. */
export function keyHash(key: string | Uint8Array): number {
  return murmur2(typeof key === 'string' ? Buffer.from(key, 'utf8') : key) & 0x7fffffff
}

export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  return keyHash(key) % partitions
}
