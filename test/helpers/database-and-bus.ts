/** What a job's test file runs against: its own migrated database and a Kafka bus, for all its tests. */
import { after, before } from 'node:test'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { type TestDatabase, createTestDatabase } from './db.ts'
import { testKafka } from './kafka.ts'

export interface DatabaseAndBus {
  /** Made in the file's `before` hook: read it inside a test, not at the top of the file. */
  readonly database: TestDatabase
  readonly bus: KafkaBus
}

/** Call at the top of a test file: registers the hooks that make the database and drop it after. */
export function databaseAndBus(): DatabaseAndBus {
  const bus = new KafkaBus(testKafka, silentLogger())
  let database: TestDatabase | undefined
  before(async () => {
    database = await createTestDatabase()
  })
  after(async () => {
    await bus.close()
    await database?.drop()
  })
  return {
    bus,
    get database() {
      if (database === undefined) throw new Error('the test database is made in the before hook')
      return database
    }
  }
}
