import { applyTimescaleLayer } from '../../src/store/timescale/timescale-layer.ts'
import {
  createTestDatabase,
  testWithoutTimescale,
  timescaleDefaults,
  timescaleUnavailable
} from '../helpers/db.ts'
import { databaseContract } from './database-contract.ts'

const open = async () => {
  const database = await createTestDatabase({ migrated: false })
  return { db: database.db, cleanup: () => database.drop() }
}

databaseContract('postgres', open)

// The same contract with the TimescaleDB layer applied after every migration, as TIMESCALE=auto does
// on a server that has the extension.
const unavailable = await timescaleUnavailable()
if (unavailable === undefined) {
  databaseContract('timescale', open, db => applyTimescaleLayer(db, timescaleDefaults))
} else {
  testWithoutTimescale('timescale: the database contract', unavailable)
}
