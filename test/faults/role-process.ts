/**
 * One pipeline role as a real child process (`node src/cli.ts <role>`), as an operator runs it:
 * started, asked to stop (SIGTERM: graceful), or killed (SIGKILL: mid-batch, nothing flushed).
 * Its log goes to a file in the suite's folder, shown when something fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export class RoleProcess {
  readonly name: string
  readonly #role: string
  readonly #env: NodeJS.ProcessEnv
  readonly #logPath: string
  readonly opsPort: number
  #child: ChildProcess | undefined
  #exited: Promise<number | null> = Promise.resolve(null)
  /** Exits nobody asked for: a role that crashes on a fault did not survive it. */
  readonly unexpectedExits: string[] = []
  #stopping = false

  constructor(options: {
    name: string
    role: string
    env: NodeJS.ProcessEnv
    logDir: string
    opsPort: number
  }) {
    this.name = options.name
    this.#role = options.role
    this.opsPort = options.opsPort
    this.#env = { ...options.env, OPS_PORT: String(options.opsPort) }
    this.#logPath = join(options.logDir, `${options.name}.log`)
  }

  start(): void {
    const log = openSync(this.#logPath, 'a')
    const child = spawn(process.execPath, ['src/cli.ts', this.#role], {
      env: this.#env,
      stdio: ['ignore', log, log]
    })
    closeSync(log)
    this.#child = child
    this.#stopping = false
    this.#exited = new Promise(resolve =>
      child.once('exit', (code, signal) => {
        if (!this.#stopping) this.unexpectedExits.push(`${this.name} exited (${signal ?? code})`)
        resolve(code)
      })
    )
  }

  /** Resolves once /health/ready answers 200 (the role is consuming, or producing). */
  async ready(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${this.opsPort}/health/ready`, {
        signal: AbortSignal.timeout(2_000)
      }).then(
        r => r.status,
        () => 0
      )
      if (status === 200) return
      if (Date.now() > deadline)
        throw new Error(`${this.name} not ready after ${timeoutMs} ms\n${this.logTail()}`)
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true
    this.#child?.kill('SIGTERM')
    await this.#exited
  }

  async kill(): Promise<void> {
    this.#stopping = true
    this.#child?.kill('SIGKILL')
    await this.#exited
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.#logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log)'
    }
  }
}
