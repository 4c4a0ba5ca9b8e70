/**
 * The heap of the analytics process's main thread. With ANALYTICS_WORKERS > 1 the main thread is
 * one of the group's members and should hold what a worker thread holds; but a worker's heap is
 * set from the configuration when the thread starts (resourceLimits), while the main thread's is
 * fixed when the process starts, by Node's flags. Left to V8 on a large host it takes 64 MiB
 * semi-spaces and a 4 GiB limit, and the process grows to ≈ 700 MiB instead of ≈ 370
 * (bench/README.md). So `crypto-viz analytics` started without heap flags starts itself again with
 * them, in place (`sizedArgv`), and a role hosted some other way warns (`unsizedHeapWarning`).
 */
import { getHeapStatistics } from 'node:v8'
import type { Config } from '../../../config/config.ts'

type Analytics = Config['analytics']

/** Node's flags that give the main thread a worker's heap (none when ANALYTICS_WORKER_HEAP_MB is 0). */
export function mainHeapFlags(analytics: Analytics): string[] {
  if (analytics.workerHeapMb === 0) return []
  const flags = [`--max-old-space-size=${analytics.workerHeapMb}`]
  // V8's young generation is three semi-spaces' worth (two semi-spaces and the large-object space).
  if (analytics.workerYoungMb > 0)
    flags.push(`--max-semi-space-size=${Math.max(1, Math.round(analytics.workerYoungMb / 3))}`)
  return flags
}

/** Whoever started the process chose a heap: a flag on the command line or in NODE_OPTIONS. */
export function heapChosenAtStart(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const chosen = /(^|\s)--max-(old|semi)-space-size\b/
  return execArgv.some(flag => chosen.test(flag)) || chosen.test(nodeOptions ?? '')
}

/**
 * The command line to start this process again with the main thread's heap flags, or undefined
 * when it needs none: one member only, ANALYTICS_WORKER_HEAP_MB=0, or a heap chosen at start.
 */
export function sizedArgv(
  analytics: Analytics,
  process: Pick<NodeJS.Process, 'execPath' | 'execArgv' | 'argv' | 'env'>
): string[] | undefined {
  const flags = mainHeapFlags(analytics)
  if (analytics.workers < 2 || flags.length === 0) return undefined
  if (heapChosenAtStart(process.execArgv, process.env.NODE_OPTIONS)) return undefined
  return [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)]
}

/** A warning when the main thread is a member with a heap nobody chose; undefined when all is well. */
export function unsizedHeapWarning(
  analytics: Analytics,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS
): { heapLimitMb: number; fix: string } | undefined {
  const flags = mainHeapFlags(analytics)
  if (flags.length === 0 || heapChosenAtStart(execArgv, nodeOptions)) return undefined
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)
  if (heapLimitMb <= analytics.workerHeapMb + analytics.workerYoungMb + 64) return undefined
  return { heapLimitMb, fix: `NODE_OPTIONS="${flags.join(' ')}"` }
}
