/** First check: which mode the configuration selects, and where each part is expected to be. */
import { redactUrl } from '../lib/redact-url.ts'
import { type DoctorCheck, finding } from './doctor.ts'

export const configurationCheck: DoctorCheck = {
  name: 'configuration',
  async run({ config, mode, apiUrl }) {
    const details = [
      mode === 'kafka'
        ? `bus: Kafka at ${config.kafka.servers.join(',')}${config.kafka.configured ? '' : ' (the default: KAFKA_SERVERS is not set)'}`
        : `bus: embedded, folder ${config.dataDir}/embedded/bus`,
      mode === 'kafka' || config.database.configured
        ? `database: ${redactUrl(config.database.url)}${config.database.configured ? '' : ' (the default)'}`
        : 'database: embedded (PGlite), inside the pipeline process',
      `cache: ${mode === 'kafka' || config.redis.configured ? redactUrl(config.redis.url) : 'in memory (embedded)'}`,
      `API: ${apiUrl}; ops endpoint: http://${config.ops.host}:${config.ops.port}`
    ]
    if (config.api.port === config.ops.port && config.api.host === config.ops.host)
      return finding('fail', `API_PORT and OPS_PORT are both ${config.api.port}`, {
        details,
        fix: 'give the API and the ops endpoint different ports (API_PORT, OPS_PORT)'
      })
    return finding(
      'ok',
      mode === 'kafka'
        ? 'full stack (Kafka, PostgreSQL, Redis)'
        : 'embedded (one process: embedded bus and database, in-memory cache)',
      { details }
    )
  }
}
