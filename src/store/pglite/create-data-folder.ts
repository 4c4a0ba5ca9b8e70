/**
 * Creates an embedded database's folder (PostgreSQL's initdb, inside PGlite) in a short-lived
 * process of its own. Run in the long-lived process, initdb leaves about 150 MiB resident there for
 * good (its WebAssembly instance's memory and the allocator's arenas are not returned to the
 * operating system); in a child, it is all returned when the child exits.
 *
 * `node create-data-folder.ts <folder>`: exits 0 once the folder holds a database, 1 with the reason
 * on stderr otherwise. PgliteDatabase.open runs it when the folder has none yet.
 */
import { PGlite } from '@electric-sql/pglite'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { pgliteStartParams } from './memory-settings.ts'

const thisFile = fileURLToPath(import.meta.url)

/** A folder PostgreSQL has initialised holds PG_VERSION. */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'))
}

/** Runs initdb for `dataDir` in a child process; rejects with the child's stderr when it fails. */
export async function createDataFolderInChild(dataDir: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [thisFile, dataDir], { maxBuffer: 4 * 2 ** 20 })
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim()
    throw new Error(`creating the database folder failed${stderr ? `: ${stderr}` : ''}`, { cause: error })
  }
}

if (process.argv[1] === thisFile) {
  const dataDir = process.argv[2]
  if (dataDir === undefined) {
    process.stderr.write('usage: node create-data-folder.ts <folder>\n')
    process.exit(1)
  }
  const pg = new PGlite(dataDir, { startParams: pgliteStartParams() })
  await pg.waitReady
  await pg.close()
}
