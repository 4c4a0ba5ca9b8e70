/**
 * `npm run bench:memory`: where `npm start -- --replay` keeps its memory. Starts `crypto-viz all
 * --replay --speed N` (what `npm start -- --replay --speed N` runs) on an empty data folder with free
 * ports, and every `--every` seconds for `--minutes` prints its resident memory from /proc (RSS,
 * anonymous and file-backed parts, the high-water mark) beside V8's view from the process's own
 * /metrics (heap used and total, external memory: array buffers, the embedded database's
 * WebAssembly memory is outside both), and how many trades went through. Then the peak and the
 * final figures, and the process is stopped the way a person stops it (SIGTERM).
 *
 * The process gets the environment variables and Node flags `npm start` gives it (package.json's
 * `start` script: MALLOC_ARENA_MAX, the V8 heap sizing, --liftoff-only), so the figures are
 * `npm start`'s; --bare-node runs it without them, for comparison.
 *
 * Flags: --minutes 10, --speed 10, --every 10 (seconds), --keep (leave the data folder), --data DIR
 * (run on that folder: a restart when it holds a previous run), --bare-node, and
 * --node-flag=--max-semi-space-size=4 (any further Node flag for the process; repeatable).
 * Linux only (/proc). Needs nothing else: the process runs embedded.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { allEnv } from '../test/helpers/all-process.ts'

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    speed: { type: 'string', default: '10' },
    every: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    data: { type: 'string' },
    'bare-node': { type: 'boolean', default: false },
    'node-flag': { type: 'string', multiple: true, default: [] }
  }
})
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
/** The environment and Node flags of `npm start` (`NAME=value node --flag … bin/run.js src/cli.ts all`). */
const [, startVariables = '', startNodeFlags = ''] =
  /^((?:[A-Z_]+=\S+ )*)node ((?:--\S+ )*)bin\/run\.js/.exec(packageJson.scripts.start ?? '') ?? []
const words = (text: string) => text.split(' ').filter(Boolean)
const startEnv = Object.fromEntries(words(startVariables).map(word => word.split('=', 2) as [string, string]))
const nodeFlags = [...(flags['bare-node'] ? [] : words(startNodeFlags)), ...flags['node-flag']]
const MINUTES = Number(flags.minutes)
const EVERY_S = Number(flags.every)
const line = (text: string): void => void process.stdout.write(`${text}\n`)
const mib = (bytes: number | undefined): string =>
  bytes === undefined ? '–' : String(Math.round(bytes / 2 ** 20)).padStart(5)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  return typeof address === 'object' && address !== null ? address.port : 0
}

/** VmRSS, RssAnon, RssFile, RssShmem and VmHWM of a process, bytes. */
function procStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const row of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const match = /^(VmRSS|RssAnon|RssFile|RssShmem|VmHWM):\s+(\d+) kB/.exec(row)
    if (match !== null) out[match[1] ?? ''] = Number(match[2]) * 1024
  }
  return out
}

/** Sums of the process's own Prometheus series by name (labels added up). */
async function metrics(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const sums = new Map<string, number>()
  for (const row of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(row)
    if (match !== null) sums.set(match[1] ?? '', (sums.get(match[1] ?? '') ?? 0) + Number(match[2]))
  }
  return sums
}

function start(dataDir: string, apiPort: number, opsPort: number): ChildProcess {
  const child = spawn(
    process.execPath,
    [...nodeFlags, 'src/cli.ts', 'all', '--replay', '--speed', flags.speed],
    {
      env: allEnv(dataDir, {
        ...(flags['bare-node'] ? {} : startEnv),
        API_PORT: String(apiPort),
        OPS_PORT: String(opsPort)
      }),
      stdio: ['ignore', 'pipe', 'inherit']
    }
  )
  child.stdout?.resume()
  return child
}

line(
  `bench:memory — npm start -- --replay --speed ${flags.speed} for ${MINUTES} min; ` +
    `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}` +
    `; node flags: ${nodeFlags.length > 0 ? nodeFlags.join(' ') : 'none'}` +
    (flags['bare-node'] || startVariables === '' ? '' : `; environment: ${startVariables.trim()}`)
)
// An existing folder is a restart (no database to create); by default a first start, on an empty one.
const dataDir = flags.data ?? (await mkdtemp(join(tmpdir(), 'cv-bench-memory-')))
const [apiPort, opsPort] = [await freePort(), await freePort()]
const child = start(dataDir, apiPort, opsPort)
const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
const pid = child.pid ?? 0
const startedAt = Date.now()
let peak = 0
let last: Record<string, number> = {}
line('  time    RSS   anon   file  heap used/total  external   market events  (MiB)')
try {
  for (let n = 0; Date.now() - startedAt <= MINUTES * 60_000; n++) {
    await sleep(Math.max(0, startedAt + n * EVERY_S * 1000 - Date.now()))
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode})`)
    last = procStatus(pid)
    peak = Math.max(peak, last.VmRSS ?? 0)
    const m = await metrics(opsPort).catch(() => new Map<string, number>())
    const seconds = Math.round((Date.now() - startedAt) / 1000)
    line(
      `${`${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`.padStart(6)} ${mib(last.VmRSS)}  ${mib(last.RssAnon)}  ${mib(last.RssFile)}` +
        `   ${mib(m.get('cryptoviz_nodejs_heap_size_used_bytes'))}/${mib(m.get('cryptoviz_nodejs_heap_size_total_bytes'))}` +
        `      ${mib(m.get('cryptoviz_nodejs_external_memory_bytes'))}` +
        `  ${String(Math.round(m.get('cryptoviz_producer_market_events_total') ?? 0)).padStart(7)}`
    )
  }
} finally {
  child.kill('SIGTERM')
  await exited
  if (!flags.keep && flags.data === undefined) await rm(dataDir, { recursive: true, force: true })
  else line(`data kept in ${dataDir}`)
}
line(
  `peak RSS ${mib(peak).trim()} MiB (kernel high-water mark ${mib(last.VmHWM).trim()} MiB); last RSS ${mib(last.VmRSS).trim()} MiB`
)
