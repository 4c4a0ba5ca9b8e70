/** Last check: the API answers and is ready (its own readiness: database, cache, live channel). */
import { describeError } from '../../errors/errors.ts'
import type { HealthReport } from '../health.ts'
import { type DoctorCheck, finding } from './doctor.ts'
import { fetchJsonWithStatus } from './fetch-json.ts'

function isReport(body: unknown): body is HealthReport {
  return typeof body === 'object' && body !== null && 'checks' in body && 'status' in body
}

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
    if (!isReport(body))
      return finding('fail', `${apiUrl}/health/ready answered HTTP ${status} without a health report`, {
        fix: 'is something else listening there? check API_HOST/API_PORT or --api-url'
      })
    const details = Object.entries(body.checks).map(
      ([name, check]) => `${name}: ${check.status}${check.detail === undefined ? '' : ` — ${check.detail}`}`
    )
    const down = Object.entries(body.checks)
      .filter(([, check]) => check.status !== 'up')
      .map(([name]) => name)
    if (status !== 200 || body.status === 'down')
      return finding('fail', `the API at ${apiUrl} is not ready: ${down.join(', ')} down`, {
        details,
        fix: 'fix what the failing checks name (usually the database: see above)'
      })
    if (body.status !== 'up')
      return finding('warn', `the API at ${apiUrl} is degraded: ${down.join(', ')}`, { details })
    return finding('ok', `the API at ${apiUrl} is ready`, { details })
  }
}
