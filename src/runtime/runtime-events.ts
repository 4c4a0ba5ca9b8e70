/**
 * What the runtime is doing, as it happens, for whoever shows it to a person (the `all` command's
 * terminal view): what starts, what it waits for, when it is ready, and how it stops. Logs say the
 * same for machines; these events exist so the terminal never has to parse log lines.
 */
import type { Bus } from '../bus/bus.ts'
import type { Health } from '../ops/health.ts'
import type { Mode } from './mode.ts'

export type RuntimeEvent =
  | { type: 'ops-listening'; url: string }
  /** `where`: the embedded bus's folder, or Kafka's bootstrap servers. */
  | { type: 'bus-opening'; kind: Mode['bus']; where: string }
  | { type: 'bus-ready'; kind: Mode['bus']; where: string }
  /** `where`: PGlite's folder, or PostgreSQL's URL without its password. */
  /** `creating`: an embedded database that does not exist yet (its first start takes longer). */
  | { type: 'database-opening'; kind: Mode['database']; where: string; creating: boolean }
  | {
      type: 'database-ready'
      kind: Mode['database']
      where: string
      applied: readonly string[]
      timescale: string
    }
  | { type: 'role-starting'; role: string }
  | { type: 'role-started'; role: string }
  /** Every role started: what a live view reads from then on. */
  | { type: 'running'; bus: Bus; health: Health }
  | { type: 'start-failed'; error: unknown }
  | { type: 'stopping' }
  | { type: 'role-stopped'; role: string }
  | { type: 'stopped'; exitCode: number }

export type RuntimeListener = (event: RuntimeEvent) => void
