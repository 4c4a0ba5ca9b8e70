/**
 * One `npm start` per data folder. The embedded bus and PGlite each lock their own folder, but a
 * second instance would first trip over a busy port or fail halfway through start-up; taking the
 * whole DATA_DIR first turns that into one clear sentence naming the running instance.
 */
import { mkdir } from 'node:fs/promises'
import { type FolderLock, lockFolder } from '../bus/embedded/folder-lock.ts'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'

export const INSTANCE_FILE = 'crypto-viz.pid'

export async function lockInstance(dataDir: string): Promise<FolderLock> {
  await mkdir(dataDir, { recursive: true })
  return lockFolder(dataDir, {
    file: INSTANCE_FILE,
    refuse: (dir, holder) =>
      new CryptoVizError(
        ErrorCodes.INSTANCE_RUNNING,
        `another crypto-viz (${holder}) is already running on the data folder ${dir}; ` +
          'stop it first (Ctrl-C in its terminal), or start this one with its own DATA_DIR (and other API_PORT/OPS_PORT)',
        { fatal: true }
      )
  })
}
