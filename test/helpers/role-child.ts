/**
 * A role in a child process, for tests that kill it: `node test/helpers/role-child.ts` with
 * ROLE (ingest | analytics), TOPICS (JSON of job topics), GROUP_ID and DATABASE_URL in the
 * environment, plus any configuration variable (passed on to the role's configuration). Prints
 * "started" once consuming; stops on SIGTERM.
 */
import { createAnalyticsRole } from '../../src/jobs/analytics/analytics-role.ts'
import { createIngestRole } from '../../src/jobs/ingest/ingest-role.ts'
import { hostRole } from './role-host.ts'

const topics = JSON.parse(process.env.TOPICS ?? '{}') as Record<string, string>
const groupId = process.env.GROUP_ID ?? 'child'
const role =
  process.env.ROLE === 'analytics'
    ? createAnalyticsRole({ topics, groupId })
    : createIngestRole({ topics, groupId })
// Configuration variables of the environment (batch sizes, rule thresholds) apply as in a real process.
const env = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)
)
const hosted = await hostRole(role, { databaseUrl: process.env.DATABASE_URL ?? '', env })
process.stdout.write('started\n')
process.once('SIGTERM', () => {
  void hosted.stop().then(() => process.exit(0))
})
