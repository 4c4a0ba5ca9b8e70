/**
 * `crypto-viz doctor`: one command that says what is wrong. Checks run in the order a pipeline
 * depends on its parts (configuration, broker, topics, consumer groups, database, cache,
 * producers' freshness, API); each gives a verdict, one line of what it found and, when something
 * is wrong, what to do. A check whose prerequisite failed (topics, when the broker is down) says
 * so and skips rather than piling up errors that all mean the same thing.
 */
import type { Config } from '../config/config.ts'
import { describeError } from '../errors/errors.ts'
import type { BusProbe } from './bus-probe.ts'

export type Verdict = 'ok' | 'warn' | 'fail' | 'skip'

export interface CheckResult {
  check: string
  verdict: Verdict
  /** One line: what was found. */
  summary: string
  /** Further facts, one per line (per topic, per group…). */
  details: string[]
  /** What to do about a warning or failure. */
  fix?: string
}

/** A consumer group the pipeline runs and the topics it reads. */
export interface PipelineGroup {
  role: string
  id: string
  topics: readonly string[]
}

export interface DoctorContext {
  config: Config
  mode: BusProbe['kind']
  /**
   * The declared topics: name, partitions, replication factor and, where known, min.insync.replicas
   * (an in-sync set below it refuses acks=all writes).
   */
  topics: readonly {
    name: string
    partitions: number
    replicationFactor: number
    minInsyncReplicas?: number
  }[]
  groups: readonly PipelineGroup[]
  /**
   * Topics the producers write, whose newest record tells their freshness; a topic with its own
   * bound (news: feeds can be quiet for hours) only warns past it.
   */
  producerTopics: readonly { topic: string; source: string; maxAgeSeconds?: number }[]
  /** A group lagging by more records than this fails. */
  maxLag: number
  /** Newest data older than this (seconds) is stale. */
  maxAgeSeconds: number
  apiUrl: string
  /** Bound of each network call a check makes. */
  timeoutMs: number
  bus: BusProbe
  /** What earlier checks learned, for the later ones to skip sensibly. */
  facts: { busReachable?: boolean }
}

export interface DoctorCheck {
  name: string
  run(context: DoctorContext): Promise<Omit<CheckResult, 'check'>>
}

export interface DoctorReport {
  ok: boolean
  /** `unknown` when the configuration could not even be read. */
  mode: BusProbe['kind'] | 'unknown'
  results: CheckResult[]
}

export function finding(
  verdict: Verdict,
  summary: string,
  extra: { details?: string[]; fix?: string } = {}
): Omit<CheckResult, 'check'> {
  return {
    verdict,
    summary,
    details: extra.details ?? [],
    ...(extra.fix === undefined ? {} : { fix: extra.fix })
  }
}

/** Rejects after `ms` with a message naming what did not answer. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
      })
    ])
  } finally {
    clearTimeout(timer)
  }
}

export async function runDoctor(
  context: DoctorContext,
  checks: readonly DoctorCheck[],
  onResult?: (result: CheckResult) => void
): Promise<DoctorReport> {
  const results: CheckResult[] = []
  for (const check of checks) {
    let result: CheckResult
    try {
      // A check bounds its own calls; this outer bound only catches one that forgot to.
      result = { check: check.name, ...(await within(context.timeoutMs * 4, check.name, check.run(context))) }
    } catch (error) {
      result = {
        check: check.name,
        verdict: 'fail',
        summary: `the check itself failed: ${describeError(error)}`,
        details: []
      }
    }
    results.push(result)
    onResult?.(result)
  }
  return { ok: results.every(r => r.verdict !== 'fail'), mode: context.mode, results }
}
