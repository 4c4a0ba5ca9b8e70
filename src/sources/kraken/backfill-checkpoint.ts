/**
 * A backfill's progress on disk (in DATA_DIR/backfill), written atomically after every page the
 * bus acknowledged: the REST cursor and the last trade id published. One file per symbol, range
 * and parts, so re-running the same command resumes and a different range starts afresh.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export interface Checkpoint {
  symbol: string
  fromMs: number
  toMs: number
  trades: { cursor?: string; lastTradeId?: number; published: number; done: boolean }
  ohlc: { published: number; done: boolean }
}

export function checkpointPath(
  dataDir: string,
  symbol: string,
  fromMs: number,
  toMs: number,
  parts: readonly string[]
): string {
  const name = `${symbol.replace('/', '-')}_${new Date(fromMs).toISOString()}_${new Date(toMs).toISOString()}_${[...parts].sort().join('+')}`
  return join(dataDir, 'backfill', `${name.replace(/[:.]/g, '')}.json`)
}

export async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Checkpoint
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export async function writeCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.tmp`
  await writeFile(temp, `${JSON.stringify(checkpoint, null, 2)}\n`)
  await rename(temp, path)
}
