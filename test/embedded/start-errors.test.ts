import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { type Server, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { spawnAll } from '../helpers/all-process.ts'

test('a taken API port stops npm start at once, naming the variable, before any slow start-up', async () => {
  const home = await mkdtemp(join(tmpdir(), 'cv-port-'))
  const taken: Server = createServer()
  await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve))
  after(async () => {
    await new Promise(resolve => taken.close(resolve))
    await rm(home, { recursive: true, force: true })
  })
  const address = taken.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const dataDir = join(home, 'data')
  const child = spawnAll(dataDir, ['--replay'], { cwd: home, env: { API_PORT: String(port) } })
  const code = await new Promise<number | null>(resolve => child.child.once('exit', resolve))
  assert.equal(code, 1)
  assert.match(
    child.stderr(),
    new RegExp(`CV_ERR_PORT_IN_USE\\]: 127\\.0\\.0\\.1:${port} \\(API_PORT\\) is already in use`)
  )
  assert.equal(existsSync(join(dataDir, 'embedded', 'pg')), false, 'no database was created for nothing')
  assert.equal(existsSync(join(dataDir, 'crypto-viz.pid')), false, 'the data folder is released')
})
