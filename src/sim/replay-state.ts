/**
 * Replay runs that continue one another. Each start of the replay in a data folder is a new run with
 * a number kept in `DATA_DIR/replay/state.json`; trade ids of run n are shifted by (n−1)·10⁹, so a
 * restart never reissues an id an earlier run already used (Kraken's ids are per-pair sequences; a
 * reused id with another time would be a second, different trade with the same identity). The mid
 * prices are saved every few seconds and at the end, so the next run's market picks up where the
 * chart stopped instead of jumping back, and its history covers only the time it was away.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Ids a run may use before it would reach the next run's: far beyond any session's trade count. */
export const RUN_ID_STRIDE = 1_000_000_000

interface Saved {
  run: number
  savedAt: string
  mids: Record<string, number>
}

export interface ReplayRun {
  /** 1 for the first run in this folder, then 2, 3, … */
  readonly run: number
  /** Where the previous run's market stood (synthetic mids by symbol); empty on a first run. */
  readonly mids: Readonly<Record<string, number>>
  /** Since the previous run last saved, ms; undefined on a first run. */
  readonly awayMs: number | undefined
  save(mids: Readonly<Record<string, number>>): Promise<void>
}

function isSaved(value: unknown): value is Saved {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    Number.isSafeInteger(v.run) &&
    typeof v.savedAt === 'string' &&
    typeof v.mids === 'object' &&
    v.mids !== null
  )
}

async function readSaved(path: string): Promise<Saved | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'))
    return isSaved(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

// An unreadable file must not restart the numbering at 1 (ids would repeat): count minutes since
// 2025 instead, larger than any run count reached by restarting by hand.
const fallbackRun = (): number => Math.floor((Date.now() - Date.UTC(2025, 0, 1)) / 60_000)

export async function beginReplayRun(dir: string, now = Date.now()): Promise<ReplayRun> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'state.json')
  const existed = await readFile(path).then(
    () => true,
    () => false
  )
  const previous = await readSaved(path)
  const run = previous === undefined ? (existed ? fallbackRun() : 1) : previous.run + 1
  const save = async (mids: Readonly<Record<string, number>>): Promise<void> => {
    const body: Saved = { run, savedAt: new Date().toISOString(), mids: { ...mids } }
    const temporary = `${path}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify(body)}\n`)
    await rename(temporary, path)
  }
  // Claim the run number before the first trade, so that even a crash a moment later cannot let the
  // next start reuse it.
  await save(previous?.mids ?? {})
  const savedAt = previous === undefined ? Number.NaN : Date.parse(previous.savedAt)
  return {
    run,
    mids: previous?.mids ?? {},
    awayMs: Number.isFinite(savedAt) ? Math.max(0, now - savedAt) : undefined,
    save
  }
}
