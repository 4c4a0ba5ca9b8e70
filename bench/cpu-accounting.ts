/**
 * CPU time of groups of processes, read from /proc (Linux): what each part of the pipeline spends
 * per record. Unlike a rate, CPU seconds per record barely move when other work shares the cores,
 * so they say what the pipeline would sustain on an idle machine: cores ÷ CPU seconds per record.
 * (Processes that exit between two samples take their time with them; the ones measured here live
 * through the phase.) Elsewhere than Linux every group reads 0 and the caller says so.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** Which processes belong to a group, from the process's command line. */
export type ProcessMatcher = (cmdline: string, pid: number) => boolean

const TICKS_PER_SECOND = 100 // USER_HZ: 100 on every Linux architecture Node supports

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
}

export function cpuSeconds<G extends string>(groups: Record<G, ProcessMatcher>): Record<G, number> {
  const totals = Object.fromEntries(Object.keys(groups).map(name => [name, 0])) as Record<G, number>
  let pids: number[]
  try {
    pids = readdirSync('/proc')
      .filter(name => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return totals
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      for (const [name, matches] of Object.entries(groups) as [G, ProcessMatcher][])
        if (matches(cmdline, pid)) totals[name] += processCpuSeconds(pid)
    } catch {
      // The process ended while being read.
    }
  }
  return totals
}
