// The storage layer's writers and queries against PostgreSQL with the TimescaleDB layer (hypertables,
// compression policies), the same contract storage-postgres.test.ts and storage-pglite.test.ts run.
import { after, before } from 'node:test'
import type { Database } from '../../src/store/database.ts'
import {
  type TestDatabase,
  createTestDatabase,
  testWithoutTimescale,
  timescaleDefaults,
  timescaleUnavailable
} from '../helpers/db.ts'
import { marketStorageContract } from './contracts/market-storage.ts'
import { newsStorageContract } from './contracts/news-storage.ts'
import { writersContract } from './contracts/writers.ts'

const unavailable = await timescaleUnavailable()
if (unavailable === undefined) {
  let database: TestDatabase | undefined
  before(async () => {
    database = await createTestDatabase({ timescale: timescaleDefaults })
  })
  after(() => database?.drop())

  const current = (): Database => {
    if (database === undefined) throw new Error('database not created')
    return database.db
  }
  marketStorageContract('timescale', current)
  newsStorageContract('timescale', current)
  writersContract('timescale', current)
} else {
  testWithoutTimescale('timescale: the storage contract', unavailable)
}
