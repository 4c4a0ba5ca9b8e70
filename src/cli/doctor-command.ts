/**
 * `crypto-viz doctor`: checks, in order, the configuration, the broker, the topics, the consumer
 * groups and their lag, the database, Redis, the producers' freshness and the API; prints a verdict
 * per line and what to do about each failure; exits 1 when anything failed (warnings alone: 0).
 */
import { integer, url } from '../config/parsers.ts'
import { describeError } from '../errors/errors.ts'
import { doctorChecks } from '../doctor/checks.ts'
import { type CheckResult, type DoctorReport, runDoctor } from '../doctor/doctor.ts'
import { doctorContext } from '../doctor/doctor-context.ts'
import { renderResult, renderVerdict } from '../doctor/render.ts'
import type { Command, CommandContext } from './command.ts'
import { flagValue } from './source-flags.ts'

function print(out: CommandContext['out'], flags: CommandContext['flags'], report: DoctorReport): number {
  if (flags.json === true) out(JSON.stringify(report, null, 2))
  else out(`\n${renderVerdict(report)}`)
  return report.ok ? 0 : 1
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary:
    'check configuration, broker, topics, consumer lag, database, Redis, producers and API; say what to fix',
  usage:
    'crypto-viz doctor [--json] [--api-url http://127.0.0.1:8080] [--max-lag 10000] [--max-age 300] [--timeout 5000] [--quiet]',
  options: {
    json: { type: 'boolean', default: false },
    'api-url': { type: 'string' },
    'max-lag': { type: 'string' },
    'max-age': { type: 'string' },
    timeout: { type: 'string' },
    quiet: { type: 'boolean', default: false }
  },
  async run({ config, flags, out }) {
    const apiUrl = flagValue(flags, 'api-url', url(['http:', 'https:']).parse)
    const maxLag = flagValue(flags, 'max-lag', integer(0, Number.MAX_SAFE_INTEGER).parse)
    const maxAgeSeconds = flagValue(flags, 'max-age', integer(1, 31_536_000).parse)
    const timeoutMs = flagValue(flags, 'timeout', integer(100, 600_000).parse)
    const context = doctorContext(config, {
      ...(apiUrl === undefined ? {} : { apiUrl }),
      ...(maxLag === undefined ? {} : { maxLag }),
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      ...(timeoutMs === undefined ? {} : { timeoutMs })
    })
    const live = flags.json !== true
    if (live) out(`crypto-viz doctor (${context.mode === 'kafka' ? 'full stack' : 'embedded mode'})\n`)
    try {
      const report = await runDoctor(context, doctorChecks, result => {
        if (live) for (const line of renderResult(result, flags.quiet !== true)) out(line)
      })
      return print(out, flags, report)
    } finally {
      await context.bus.close()
    }
  },
  onInvalidConfig({ error, flags, out }) {
    const results: CheckResult[] = [
      {
        check: 'configuration',
        verdict: 'fail',
        summary: describeError(error).split('\n')[0] ?? 'invalid configuration',
        details: describeError(error).split('\n').slice(1),
        fix: 'fix the variables named (environment or .env); .env.example documents every one'
      },
      ...doctorChecks.slice(1).map(check => ({
        check: check.name,
        verdict: 'skip' as const,
        summary: 'the configuration is invalid',
        details: []
      }))
    ]
    const report: DoctorReport = { ok: false, mode: 'unknown', results }
    if (flags.json !== true) for (const result of results) for (const line of renderResult(result)) out(line)
    return print(out, flags, report)
  }
}
