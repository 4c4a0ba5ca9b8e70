/**
 * One writer per folder: two processes appending to the same segments would interleave records and
 * corrupt the log, so the embedded bus holds a lock file (holding its process id) while open. A lock
 * whose process is gone (a crash, a kill -9) is taken over; a live one is refused with a clear error.
 */
import { constants } from 'node:fs'
import { open, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { CryptoVizError, ErrorCodes } from '../../errors/errors.ts'
import { processAlive } from '../../lib/process-alive.ts'

const LOCK_FILE = 'LOCK'
/** Folders locked by this process: the pid check cannot tell two buses of one process apart. */
const heldHere = new Set<string>()

export interface FolderLock {
  release(): Promise<void>
}

function locked(dir: string, holder: string): CryptoVizError {
  return new CryptoVizError(
    ErrorCodes.BUS_LOCKED,
    `the embedded bus folder ${dir} is in use by ${holder}; stop it, or give this process its own DATA_DIR`,
    { fatal: true }
  )
}

export interface LockOptions {
  /** The lock file's name in `dir` (default LOCK). */
  file?: string
  /** The error for a folder held by `holder` (default: the embedded bus's CV_ERR_BUS_LOCKED). */
  refuse?: (dir: string, holder: string) => CryptoVizError
}

export async function lockFolder(dir: string, options: LockOptions = {}): Promise<FolderLock> {
  const path = join(dir, options.file ?? LOCK_FILE)
  const refuse = options.refuse ?? locked
  if (heldHere.has(path)) throw refuse(dir, `this process (pid ${process.pid}) already`)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      heldHere.add(path)
      return {
        release: async () => {
          heldHere.delete(path)
          await unlink(path).catch(() => undefined)
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
      throw refuse(dir, `process ${pid}`)
    // The holder is gone (or it was an earlier bus of this very process that never closed):
    // remove its lock and try again.
    await unlink(path).catch(() => undefined)
  }
  throw refuse(dir, 'another process racing for it')
}
