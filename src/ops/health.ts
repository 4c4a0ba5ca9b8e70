/**
 * Health of a running process: each component registers a named check; liveness is "the process
 * answers", readiness is "every critical check is up". Checks are cheap and synchronous (they read
 * state the component keeps current), so a probe never waits on the thing it probes.
 */
export type HealthStatus = 'up' | 'degraded' | 'down'

export interface CheckResult {
  status: HealthStatus
  /** One line for humans: what is wrong, or a useful fact (lag, last event age). */
  detail?: string
  /** Extra machine-readable facts (last event time, throughput). */
  data?: Record<string, unknown>
}

export interface HealthReport {
  status: HealthStatus
  checks: Record<string, CheckResult & { critical: boolean }>
}

interface Registered {
  check: () => CheckResult
  critical: boolean
  /** The role that registered it; undefined for process-wide checks (the bus). */
  owner: string | undefined
}

export class Health {
  readonly #checks: Map<string, Registered>
  readonly #owner: string | undefined

  constructor(scope?: { checks: Map<string, Registered>; owner: string }) {
    this.#checks = scope?.checks ?? new Map<string, Registered>()
    this.#owner = scope?.owner
  }

  /**
   * A view for one role of a process that runs several: what it registers is marked as the role's,
   * and its report holds the role's checks plus the process-wide ones, so an exchange that cannot be
   * reached makes the producer down, not the API beside it. The process's own report holds all.
   */
  forRole(role: string): Health {
    return new Health({ checks: this.#checks, owner: role })
  }

  /** `critical` checks decide readiness; others only show in the report. */
  register(name: string, check: () => CheckResult, options: { critical?: boolean } = {}): void {
    this.#checks.set(name, { check, critical: options.critical ?? true, owner: this.#owner })
  }

  unregister(name: string): void {
    this.#checks.delete(name)
  }

  report(): HealthReport {
    const checks: HealthReport['checks'] = {}
    let status: HealthStatus = 'up'
    for (const [name, { check, critical, owner }] of this.#checks) {
      if (this.#owner !== undefined && owner !== undefined && owner !== this.#owner) continue
      let result: CheckResult
      try {
        result = check()
      } catch (error) {
        result = { status: 'down', detail: `check threw: ${(error as Error).message}` }
      }
      checks[name] = { ...result, critical }
      if (result.status === 'down' && critical) status = 'down'
      else if (result.status !== 'up' && status === 'up') status = 'degraded'
    }
    return { status, checks }
  }
}
