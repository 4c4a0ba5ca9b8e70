// The storage layer's writers and queries against the embedded database (PGlite), the same
// contract storage-postgres.test.ts runs against PostgreSQL.
import { after, before } from 'node:test'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { marketStorageContract } from './contracts/market-storage.ts'
import { newsStorageContract } from './contracts/news-storage.ts'
import { writersContract } from './contracts/writers.ts'

let db: PgliteDatabase | undefined
before(async () => {
  db = await PgliteDatabase.open()
  await migrate(db)
})
after(() => db?.close())

const current = (): PgliteDatabase => {
  if (db === undefined) throw new Error('database not opened')
  return db
}
marketStorageContract('pglite', current)
newsStorageContract('pglite', current)
writersContract('pglite', current)
