/** The doctor's report for a terminal: one line per check, its facts indented, then what to do. */
import type { CheckResult, DoctorReport } from './doctor.ts'

const LABELS = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' } as const
const NAME_WIDTH = 17

export function renderResult(result: CheckResult, verbose = true): string[] {
  const pad = ' '.repeat(NAME_WIDTH + 8)
  const lines = [`  ${LABELS[result.verdict]}  ${result.check.padEnd(NAME_WIDTH)}${result.summary}`]
  if (verbose || result.verdict === 'fail' || result.verdict === 'warn')
    for (const detail of result.details) lines.push(`${pad}· ${detail}`)
  if (result.fix !== undefined) lines.push(`${pad}→ ${result.fix}`)
  return lines
}

export function renderVerdict(report: DoctorReport): string {
  const count = (verdict: CheckResult['verdict']): number =>
    report.results.filter(r => r.verdict === verdict).length
  const failed = count('fail')
  const warned = count('warn')
  if (failed > 0)
    return `verdict: ${failed} check(s) failed${warned > 0 ? `, ${warned} warning(s)` : ''}: see the FAIL lines and what to do under them`
  if (warned > 0) return `verdict: healthy, with ${warned} warning(s)`
  return 'verdict: healthy'
}
