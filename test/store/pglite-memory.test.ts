import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createDataFolderInChild } from '../../src/store/pglite/create-data-folder.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'

test('a new folder gets its database from a child process, and it runs with the small memory settings that keep npm start lean', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-child-'))
  try {
    await createDataFolderInChild(join(dir, 'pg'))
    assert.ok(existsSync(join(dir, 'pg', 'PG_VERSION')), 'the child created the database folder')
    const db = await PgliteDatabase.open(join(dir, 'pg'))
    try {
      const setting = async (name: string) =>
        (await db.query<{ value: string }>('select current_setting($1) as value', [name])).rows[0]?.value
      assert.equal(await setting('shared_buffers'), '16MB')
      assert.equal(await setting('maintenance_work_mem'), '16MB')
    } finally {
      await db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a folder that cannot be created fails with the child’s reason, not a silent exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-child-'))
  try {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'not a folder')
    await assert.rejects(createDataFolderInChild(join(file, 'pg')), (error: unknown) => {
      assert.match(
        (error as Error).message,
        /^creating the database folder failed: .*(ENOTDIR|not a directory)/is
      )
      return true
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
