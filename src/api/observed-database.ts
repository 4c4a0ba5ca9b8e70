/** The database as routes see it: every query's outcome also tells the readiness probe. */
import type { QueryResult, Queryable } from '../store/database.ts'
import type { DatabaseProbe } from './database-probe.ts'

export function observedDatabase(db: Queryable, probe: DatabaseProbe): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      try {
        const result = await db.query<R>(sql, params)
        probe.reportSuccess()
        return result
      } catch (error) {
        probe.reportFailure(error)
        throw error
      }
    }
  }
}
