/**
 * On a Node older than package.json's engines, every entry point (npm start/test through
 * bin/run.js, the bin/crypto-viz.js command) stops with one line naming the Node found, the Node
 * needed and the fix, or runs on the project's own Node in .cache/node when it is there. An old
 * Node is played by this one with `process.version` overridden before the entry point loads.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, test } from 'node:test'

const root = resolve(import.meta.dirname, '../..')
const required = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
).engines.node
const asOldNode = `data:text/javascript,Object.defineProperty(process,'version',{value:'v20.20.2'})`
const home = mkdtempSync(join(tmpdir(), 'cv-node-version-'))
after(() => rmSync(home, { recursive: true, force: true }))

function run(entry: string[], cacheDir: string, version = asOldNode, nodeFlags: string[] = []) {
  return spawnSync(process.execPath, [...nodeFlags, '--import', version, ...entry], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CRYPTO_VIZ_CACHE_DIR: cacheDir, LOG_LEVEL: 'silent' }
  })
}

for (const entry of [
  ['bin/run.js', 'src/cli.ts', 'help'],
  ['bin/run.js', 'scripts/build-web.ts', '--if-stale'],
  ['bin/crypto-viz.js', 'help']
]) {
  test(`on an old Node without the project's Node, ${entry.join(' ')} prints one line with the fix and exits 1`, () => {
    const result = run(entry, join(home, 'no-cache'))
    assert.equal(result.status, 1, result.stderr)
    assert.equal(result.stdout, '')
    const lines = result.stderr.trimEnd().split('\n')
    assert.equal(lines.length, 1, `one line, no stack trace:\n${result.stderr}`)
    assert.ok(
      lines[0]?.includes(`needs Node.js >= ${required.replace('>=', '')} and this is Node v20.20.2`),
      lines[0]
    )
    assert.match(lines[0] ?? '', /run scripts\/install_node\.sh/)
  })
}

test("on an old Node with the project's Node in .cache/node, the command runs there and its exit code comes back", () => {
  const cache = join(home, 'cache')
  mkdirSync(join(cache, 'node/bin'), { recursive: true })
  symlinkSync(process.execPath, join(cache, 'node/bin/node'))
  const help = run(['bin/run.js', 'src/cli.ts', 'help'], cache)
  assert.equal(help.status, 0, help.stderr)
  assert.match(help.stdout, /usage: crypto-viz <command>/)
  const unknown = run(['bin/crypto-viz.js', 'no-such-command'], cache)
  assert.equal(unknown.status, 64, 'the usage error code of the child, passed through')
  assert.match(unknown.stderr, /unknown command 'no-such-command'/)
})

test("on an old Node, the project's Node gets npm start's heap and compiler flags, and not the old Node's hooks", () => {
  const cache = join(home, 'cache-flags')
  mkdirSync(join(cache, 'node/bin'), { recursive: true })
  symlinkSync(process.execPath, join(cache, 'node/bin/node'))
  const script = join(home, 'print-node-flags.mjs')
  writeFileSync(
    script,
    "import v8 from 'node:v8'\n" +
      'console.log(JSON.stringify({ execArgv: process.execArgv, heapLimit: v8.getHeapStatistics().heap_size_limit, version: process.version }))\n'
  )
  const npmStartFlags = ['--max-old-space-size=300', '--max-semi-space-size=2', '--liftoff-only']
  const result = run(['bin/run.js', script], cache, asOldNode, [...npmStartFlags, '--no-warnings'])
  assert.equal(result.status, 0, result.stderr)
  const child = JSON.parse(result.stdout) as { execArgv: string[]; heapLimit: number; version: string }
  assert.deepEqual(child.execArgv, npmStartFlags, 'the heap and compiler flags, and nothing else')
  assert.equal(child.version, process.version, 'the child is not told it is old: it runs the script itself')
  assert.ok(
    child.heapLimit < 400 * 1024 * 1024,
    `the old-space limit reached V8 (limit ${child.heapLimit} bytes)`
  )
})

test('on a new enough Node, bin/run.js runs the script in this process with its own arguments', () => {
  const result = run(['bin/run.js', 'src/cli.ts', 'help'], join(home, 'no-cache'), 'data:text/javascript,')
  assert.equal(result.status, 0, result.stderr)
  assert.match(result.stdout, /^usage: crypto-viz <command>/)
})
