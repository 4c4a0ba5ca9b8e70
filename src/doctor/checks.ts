/** The doctor's checks, in the order the pipeline depends on its parts. */
import { apiCheck } from './check-api.ts'
import { brokerCheck } from './check-broker.ts'
import { configurationCheck } from './check-configuration.ts'
import { databaseCheck } from './check-database.ts'
import { groupsCheck } from './check-groups.ts'
import { producersCheck } from './check-producers.ts'
import { redisCheck } from './check-redis.ts'
import { topicsCheck } from './check-topics.ts'
import type { DoctorCheck } from './doctor.ts'

export const doctorChecks: readonly DoctorCheck[] = [
  configurationCheck,
  brokerCheck,
  topicsCheck,
  groupsCheck,
  databaseCheck,
  redisCheck,
  producersCheck,
  apiCheck
]
