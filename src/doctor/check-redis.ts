/** Sixth check: Redis (the API cache and the live-events channel) answers PING. */
import { Redis } from 'ioredis'
import { describeError } from '../errors/errors.ts'
import { type DoctorCheck, finding, within } from './doctor.ts'
import { redactUrl } from '../lib/redact-url.ts'

export const redisCheck: DoctorCheck = {
  name: 'redis',
  async run({ config, mode, timeoutMs }) {
    if (mode === 'embedded' && !config.redis.configured)
      return finding('skip', 'embedded mode: the cache and live events are in memory, inside the process')
    const where = redactUrl(config.redis.url)
    const redis = new Redis(config.redis.url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      connectionName: 'crypto-viz-doctor'
    })
    redis.on('error', () => undefined)
    try {
      await within(timeoutMs, `Redis at ${where}`, redis.connect())
      const pong = await within(timeoutMs, `Redis at ${where}`, redis.ping())
      const info = await within(timeoutMs, `Redis at ${where}`, redis.info('server'))
      const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown version'
      return finding('ok', `Redis at ${where} answers ${pong} (${version})`)
    } catch (error) {
      return finding('fail', `Redis at ${where} is not reachable: ${describeError(error)}`, {
        fix: 'start it (scripts/infra.sh start redis, or docker compose up -d redis) and check REDIS_URL; meanwhile the API reads the database and live push between API instances stops'
      })
    } finally {
      redis.disconnect()
    }
  }
}
