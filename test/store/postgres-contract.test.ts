import { createTestDatabase } from '../helpers/db.ts'
import { databaseContract } from './database-contract.ts'

databaseContract('postgres', async () => {
  const database = await createTestDatabase({ migrated: false })
  return { db: database.db, cleanup: () => database.drop() }
})
