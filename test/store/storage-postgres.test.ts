// The storage layer's writers and queries against PostgreSQL, the same contract
// storage-pglite.test.ts runs against the embedded database.
import { after, before } from 'node:test'
import type { Database } from '../../src/store/database.ts'
import { type TestDatabase, createTestDatabase } from '../helpers/db.ts'
import { marketStorageContract } from './contracts/market-storage.ts'
import { newsStorageContract } from './contracts/news-storage.ts'
import { writersContract } from './contracts/writers.ts'

let database: TestDatabase | undefined
before(async () => {
  database = await createTestDatabase()
})
after(() => database?.drop())

const current = (): Database => {
  if (database === undefined) throw new Error('database not created')
  return database.db
}
marketStorageContract('postgres', current)
newsStorageContract('postgres', current)
writersContract('postgres', current)
