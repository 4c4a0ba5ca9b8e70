/** Builds the parameter list of a query as its conditions are added, so `$n` numbers never drift. */
export class Params {
  readonly values: unknown[] = []

  /** Adds a value and returns its placeholder, with a cast when given (`$3::timestamptz`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value)
    return cast === undefined ? `$${this.values.length}` : `$${this.values.length}::${cast}`
  }
}

/** A page of rows in the order asked for, and whether more rows follow the last one. */
export interface Page<T> {
  items: T[]
  hasMore: boolean
}

/** Cuts the one extra row a query fetched to learn whether another page exists. */
export function toPage<T>(rows: T[], limit: number): Page<T> {
  return rows.length > limit
    ? { items: rows.slice(0, limit), hasMore: true }
    : { items: rows, hasMore: false }
}

/** A time range, half-open: from ≤ t < to. Either end may be open. */
export interface TimeRange {
  from?: string | undefined
  to?: string | undefined
}

/** Keyset position for lists ordered newest first by (time, id). */
export interface Before {
  time: string
  id: string
}
