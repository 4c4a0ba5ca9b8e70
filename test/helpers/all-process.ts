/**
 * `crypto-viz all` (what `npm start` runs) as a child process, the way a user starts it on a machine
 * with nothing but Node: the variables that would select the full stack removed, a data folder of
 * its own, free ports, and a working directory without a .env. Reads the dashboard's address from
 * the terminal output, as a person would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.ts'

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

/** Variables that pick the full stack or change the console view; a fresh machine has none. */
const FULL_STACK = [
  'KAFKA_SERVERS',
  'DATABASE_URL',
  'REDIS_URL',
  'BUS',
  'LOG_LEVEL',
  'SOURCE_MODE',
  'DATA_DIR'
]

export interface AllProcess {
  child: ChildProcess
  /** The API and dashboard, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string
  stdout(): string
  stderr(): string
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export function allEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of FULL_STACK) delete env[name]
  return { ...env, DATA_DIR: dataDir, API_PORT: '0', OPS_PORT: '0', NO_COLOR: '1', ...extra }
}

export function spawnAll(
  dataDir: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> }
): { child: ChildProcess; stdout(): string; stderr(): string } {
  const child = spawn(process.execPath, [cli, 'all', ...args], {
    cwd: options.cwd,
    env: allEnv(dataDir, options.env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()))
  return { child, stdout: () => out, stderr: () => err }
}

export async function startAll(
  dataDir: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number; env?: Record<string, string> }
): Promise<AllProcess> {
  const spawned = spawnAll(dataDir, args, options)
  const { child } = spawned
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  try {
    const url = await waitFor(
      'the dashboard address on the terminal',
      () => {
        if (child.exitCode !== null)
          throw new Error(`exited ${child.exitCode}:\n${spawned.stdout()}\n${spawned.stderr()}`)
        return /(?:dashboard|API): (http:\/\/127\.0\.0\.1:\d+)\//.exec(spawned.stdout())?.[1]
      },
      options.timeoutMs ?? 120_000,
      100
    )
    return {
      ...spawned,
      url,
      async stop(signal = 'SIGTERM') {
        if (child.exitCode === null) child.kill(signal)
        const [code] = await exited
        return code
      }
    }
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
}
