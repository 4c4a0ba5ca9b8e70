// The one check of the Node.js version, in plain JavaScript so that an old Node can run it: the
// project's TypeScript entry points fail on a Node without type stripping (< 22.18) with an
// unreadable ERR_UNKNOWN_FILE_EXTENSION, and the Kafka client needs 22.22. Used by bin/crypto-viz.js, bin/run.js (every npm script)
// and the postinstall step.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The minimum from package.json's engines (">=22.22.0"), as [major, minor, patch]. */
export function requiredNode() {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range)
  if (match === null) throw new Error(`package.json engines.node must read ">=X.Y.Z" (it reads "${range}")`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

export function satisfies(version, required = requiredNode()) {
  const have = version.replace(/^v/, '').split('.').map(Number)
  for (let i = 0; i < 3; i += 1) {
    if ((have[i] ?? 0) !== required[i]) return (have[i] ?? 0) > required[i]
  }
  return true
}

/** The Node that scripts/install_node.sh puts in .cache/node, when it is there. */
export function projectNode() {
  const cacheDir = process.env.CRYPTO_VIZ_CACHE_DIR || join(root, '.cache')
  const path = join(cacheDir, 'node', 'bin', 'node')
  return existsSync(path) ? path : undefined
}

export function tooOldMessage(version = process.version) {
  const need = requiredNode().join('.')
  return (
    `crypto-viz needs Node.js >= ${need} and this is Node ${version}: run scripts/install_node.sh ` +
    '(it puts Node 24 in .cache/node, which npm start, npm test and bin/crypto-viz.js then use by themselves), ' +
    'or install Node 24 with your version manager (nvm install 24)'
  )
}

// The Node flags a re-run on the project's Node keeps: heap and compiler settings such as npm
// start's `--max-old-space-size=512 --max-semi-space-size=2 --liftoff-only`, without which the
// process would run with other memory figures than the ones measured. Everything else stays
// behind on purpose: `--import`/`--require` hooks and the test runner's own flags belong to the
// old Node's process (a hook that plays an old Node would make the child re-run itself forever).
const keptFlag = /^--(max-[a-z-]+|min-semi-space-size|liftoff-only|no-opt|jitless|stack-size|expose-gc)(=|$)/

/** The flags of `execArgv` to pass on to the project's Node. */
function keptNodeFlags(execArgv = process.execArgv) {
  return execArgv.filter(flag => keptFlag.test(flag))
}

/**
 * Runs `node <args>` on a Node that can run the project: this one when it is new enough (the
 * returned promise resolves and the caller goes on in-process), else the project's own Node in a
 * child process, with this process's heap and compiler flags, whose exit this process mirrors.
 * Without either, prints one line and exits 1.
 */
export function ensureSupportedNode(args) {
  if (satisfies(process.version)) return Promise.resolve()
  const node = projectNode()
  if (node === undefined) {
    process.stderr.write(`${tooOldMessage()}\n`)
    process.exit(1)
  }
  const child = spawn(node, [...keptNodeFlags(), ...args], { stdio: 'inherit' })
  // Ctrl-C reaches the whole foreground group, the child included; a signal sent to this process
  // alone (kill, a supervisor) is passed on. Either way the child decides when to exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal)
    })
  }
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal)
      process.kill(process.pid, signal)
    }
    process.exit(code ?? 1)
  })
  return new Promise(() => undefined)
}
