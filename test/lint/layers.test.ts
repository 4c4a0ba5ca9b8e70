/**
 * The layers of src/ are enforced by the lint run CI uses (`npm run lint`): these run ESLint with the
 * project's own configuration on files placed in src/ folders (in memory) and see forbidden imports
 * fail and allowed ones pass.
 */
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { ESLint } from 'eslint'
import { type Allowed, allowedImports, findCycle, layers } from '../../eslint/layers.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const eslint = new ESLint({ cwd: root })

/** The layer rule's messages for `code` as if it were the file at `filePath` (relative to the repository). */
async function layerProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` })
  assert.ok(result)
  return result.messages.filter(m => m.ruleId === 'layers/allowed-imports').map(m => m.message)
}

test('a kernel file that imports the bus port fails the lint run', async () => {
  const problems = await layerProblems(
    'src/schemas/forbidden.ts',
    "import type { Bus } from '../bus/bus.ts'\nexport type Port = Bus\n"
  )
  assert.deepEqual(problems, [
    'src/schemas may not import src/bus/bus.ts (layers: docs/architecture.md, eslint/layers.ts)'
  ])
})

test('a stage that imports another stage fails, and one that imports a port and the kernel passes', async () => {
  const forbidden = await layerProblems(
    'src/api/forbidden.ts',
    "export { ingestRole } from '../jobs/ingest/ingest-role.ts'\n"
  )
  assert.equal(forbidden.length, 1)
  assert.match(forbidden[0] ?? '', /src\/api may not import src\/jobs\/ingest\/ingest-role\.ts/)
  const allowed = await layerProblems(
    'src/api/allowed.ts',
    "import type { Bus } from '../bus/bus.ts'\nimport { describeError } from '../errors/errors.ts'\nexport type P = Bus\nexport const d = describeError\n"
  )
  assert.deepEqual(allowed, [])
})

test('a stage that imports the fakes fails: only composition and tests may', async () => {
  const code =
    "import { startReplaySources } from '../sim/replay.ts'\nexport const start = startReplaySources\n"
  assert.equal((await layerProblems('src/sources/forbidden.ts', code)).length, 1)
  assert.deepEqual(await layerProblems('src/runtime/allowed.ts', code), [])
})

test('the dashboard takes the API contract as types only, and nothing else of the server', async () => {
  const value = await layerProblems(
    'src/web/forbidden.ts',
    "import { Ticker } from '../contract/resources.ts'\nexport const schema = Ticker\n"
  )
  assert.deepEqual(value, [
    'src/web may not import src/contract/resources.ts except as `import type` (layers: docs/architecture.md, eslint/layers.ts)'
  ])
  const types = await layerProblems(
    'src/web/allowed.ts',
    "import type { Ticker } from '../contract/resources.ts'\nimport { Intervals } from '../contract/vocabulary.ts'\nexport type T = typeof Ticker\nexport const i = Intervals\n"
  )
  assert.deepEqual(types, [])
  const server = await layerProblems(
    'src/web/forbidden.ts',
    "import type { Database } from '../store/database.ts'\nexport type D = Database\n"
  )
  assert.equal(server.length, 1)
})

test('a dynamic import is held to the same layers', async () => {
  const problems = await layerProblems(
    'src/store/forbidden.ts',
    "export const load = () => import('../api/server.ts')\n"
  )
  assert.equal(problems.length, 1)
})

test('the allowed imports admit no cycle between folders, and a table with one is caught', () => {
  assert.equal(findCycle(allowedImports), undefined)
  const cyclic: Record<string, readonly Allowed[]> = {
    a: ['b'],
    b: [{ folder: 'c', typeOnly: true }],
    c: ['a/x.ts']
  }
  assert.deepEqual(findCycle(cyclic), ['a', 'b', 'c', 'a'])
})

test('every folder of src/ is in exactly one layer and has its allowed imports', () => {
  const folders = readdirSync(new URL('../../src', import.meta.url), { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
  for (const folder of [...folders, '(root)']) {
    assert.equal(layers.filter(layer => layer.folders.includes(folder)).length, 1, `${folder} in one layer`)
    assert.ok(allowedImports[folder] !== undefined, `${folder} has allowed imports`)
  }
})
