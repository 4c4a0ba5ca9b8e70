/**
 * The database port. Two implementations: PostgreSQL/TimescaleDB through `pg` (store/postgres) and
 * the embedded PGlite for single-process mode. Both run the same migrations and the same SQL, and
 * return values in the same shapes:
 *
 * - numeric → string (exact decimals, never floats), int8 → number, timestamptz → ISO 8601 UTC text
 *   with the stored precision (µs: "2023-07-06T18:53:17.827736Z"), jsonb → parsed JSON;
 * - connection trouble → CV_ERR_DB_UNAVAILABLE (retryable: wait and try again);
 *   anything else the server rejects → CV_ERR_DB_QUERY.
 */
export interface QueryResult<R> {
  rows: R[]
  /** Rows inserted, updated, deleted or returned. */
  rowCount: number
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>
}

/** What a transaction's callback gets: queries, and scripts of several statements (migrations). */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  close(): Promise<void>
}

/** Postgres returns timestamptz as "2023-07-06 18:53:17.827736+00" in a UTC session. */
export function timestamptzToIso(text: string): string {
  const iso = text.replace(' ', 'T')
  return iso.endsWith('+00') ? `${iso.slice(0, -3)}Z` : new Date(iso).toISOString()
}
