/**
 * Batched writes pass one array per column to `INSERT … SELECT FROM unnest($1::…[], …)`: one
 * statement and one round trip per batch whatever its size, the fastest
 * plain-SQL bulk write (bench/README.md records its rows per second here).
 */

/** Keeps the last row of each key: `ON CONFLICT DO UPDATE` refuses to touch one row twice. */
export function lastByKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>()
  for (const row of rows) {
    const k = key(row)
    byKey.delete(k)
    byKey.set(k, row)
  }
  return [...byKey.values()]
}

/** Column arrays of the rows, in the order `pick` returns values. */
export function columns<T>(
  rows: readonly T[],
  width: number,
  pick: (row: T) => readonly unknown[]
): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => new Array<unknown>(rows.length))
  for (let r = 0; r < rows.length; r++) {
    const values = pick(rows[r] as T)
    for (let c = 0; c < width; c++) (out[c] as unknown[])[r] = values[c]
  }
  return out
}

/**
 * A PostgreSQL array literal of values that need no quoting: the caller guarantees they were
 * validated to characters that are not special in array syntax (letters, digits, '/', '.', ':',
 * '-', '+') and none is empty or NULL. Cheaper than the driver's per-element escaping, which showed
 * in ingest's profile at tens of thousands of rows per second.
 */
export function plainArray(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`
}
