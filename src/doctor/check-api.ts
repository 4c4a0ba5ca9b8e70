/**
 * Last check: the API answers and is ready (its own readiness: database, cache, live channel). The
 * API port gives the bare status; the checks behind it are listed only when the API exposes its
 * detailed report there (API_EXPOSE_OPS=true), else they are on the API process's ops port.
 */
import { describeError } from '../errors/errors.ts'
import type { HealthReport } from '../ops/health.ts'
import { type DoctorCheck, finding } from './doctor.ts'
import { fetchJsonWithStatus } from './fetch-json.ts'

type Readiness = Pick<HealthReport, 'status'> & Partial<Pick<HealthReport, 'checks'>>

function isReadiness(body: unknown): body is Readiness {
  return typeof body === 'object' && body !== null && 'status' in body
}

const BARE = "the checks behind it are on the API process's ops port (OPS_HOST:OPS_PORT/health/ready)"

export const apiCheck: DoctorCheck = {
  name: 'api',
  async run({ apiUrl, timeoutMs }) {
    let answer
    try {
      answer = await fetchJsonWithStatus(`${apiUrl}/health/ready`, timeoutMs)
    } catch (error) {
      return finding('fail', `the API at ${apiUrl} does not answer: ${describeError(error)}`, {
        fix: 'start it (crypto-viz api, or npm start in the embedded mode), or give the right address with --api-url'
      })
    }
    const { status, body } = answer
    if (!isReadiness(body))
      return finding('fail', `${apiUrl}/health/ready answered HTTP ${status} without a health report`, {
        fix: 'is something else listening there? check API_HOST/API_PORT or --api-url'
      })
    const checks = Object.entries(body.checks ?? {})
    const details =
      body.checks === undefined
        ? [BARE]
        : checks.map(
            ([name, check]) =>
              `${name}: ${check.status}${check.detail === undefined ? '' : ` — ${check.detail}`}`
          )
    const down = checks.filter(([, check]) => check.status !== 'up').map(([name]) => name)
    const which = down.length > 0 ? `: ${down.join(', ')}` : ''
    if (status !== 200 || body.status === 'down')
      return finding('fail', `the API at ${apiUrl} is not ready${which}${down.length > 0 ? ' down' : ''}`, {
        details,
        fix: 'fix what the failing checks name (usually the database: see above)'
      })
    if (body.status !== 'up') return finding('warn', `the API at ${apiUrl} is degraded${which}`, { details })
    return finding('ok', `the API at ${apiUrl} is ready`, { details })
  }
}
