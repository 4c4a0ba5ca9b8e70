/**
 * A Kafka broker (or a cluster of three), a PostgreSQL server and a Redis of the fault suite's own,
 * started with the project's scripts/infra.sh on free ports in a temporary folder, so the suite can
 * stop, kill and restart them without touching the infrastructure other tests (and people) share.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** `kafka-<i>`: node i of a cluster (scripts/lib/kafka-nodes.sh). */
export type Service = 'kafka' | `kafka-${number}` | 'postgres' | 'redis'

function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/**
 * The first port the kernel hands out to outgoing connections (32768 on Linux by default). A port
 * in that range that is free now can be taken by any connection before the service binds it: a
 * three-broker start once failed on "Address already in use" so.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    return Number.isInteger(low) && low > 12_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

/** `count` consecutive free ports from a random base between 10000 and the ephemeral range. */
export async function freePorts(count: number): Promise<number> {
  const span = ephemeralLow() - count - 10_000
  for (;;) {
    const base = 10_000 + Math.floor(Math.random() * span)
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i)))
    if (free.every(Boolean)) return base
  }
}

export class PrivateStack {
  readonly dir: string
  readonly kafkaPort: number
  readonly pgPort: number
  readonly redisPort: number
  /** Kafka nodes: 1, or a cluster of up to 3. */
  readonly brokers: number
  readonly #env: NodeJS.ProcessEnv

  private constructor(dir: string, base: number, brokers: number) {
    this.dir = dir
    this.brokers = brokers
    // base: Kafka, +1 controller, +2..+5 the broker's fault listeners (unused here) or, in a cluster,
    // node i's client and controller ports at base + 2(i-1) and +1; +6 PostgreSQL, +7 Redis.
    this.kafkaPort = base
    this.pgPort = base + 6
    this.redisPort = base + 7
    this.#env = {
      ...process.env,
      KAFKA_PORT: String(base),
      KAFKA_CONTROLLER_PORT: String(base + 1),
      KAFKA_FAULT_PORT: String(base + 2),
      PGPORT: String(this.pgPort),
      REDIS_PORT: String(this.redisPort),
      // A cluster's nodes take scripts/lib/kafka-nodes.sh's sizing for three JVMs on two cores.
      ...(brokers === 1 ? { KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m' } : {}),
      BROKERS: String(brokers),
      // Three JVMs starting beside a loaded two-core CI run take longer than infra.sh's default 90 s.
      CRYPTO_VIZ_READY_TIMEOUT: '240',
      CRYPTO_VIZ_DATA_DIR: dir
    }
  }

  static async create(options: { brokers?: 1 | 3 } = {}): Promise<PrivateStack> {
    const dir = mkdtempSync(join(tmpdir(), 'cv-faults-'))
    // PostgreSQL runs as its own user when we are root: it must be able to reach its folder.
    chmodSync(dir, 0o755)
    return new PrivateStack(dir, await freePorts(8), options.brokers ?? 1)
  }

  /** Bootstrap servers: every node of the cluster. */
  get kafkaServers(): string {
    return Array.from({ length: this.brokers }, (_, i) => `127.0.0.1:${this.kafkaPort + 2 * i}`).join(',')
  }

  /** The pid of Kafka node `id` (1 on a single broker), as infra.sh recorded it; undefined when stopped. */
  kafkaPid(id: number): number | undefined {
    const file = join(this.dir, 'run', this.brokers === 1 ? 'kafka.pid' : `kafka-${id}.pid`)
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined
  }

  get databaseUrl(): string {
    return `postgres://cryptoviz:cryptoviz@127.0.0.1:${this.pgPort}/cryptoviz`
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}`
  }

  /** Runs scripts/infra.sh with this stack's ports and folder; throws with its output on failure. */
  infra(command: 'start' | 'stop', ...services: Service[]): void {
    const result = spawnSync('bash', ['scripts/infra.sh', command, ...services], {
      env: this.#env,
      encoding: 'utf8',
      timeout: 300_000
    })
    if (result.status !== 0)
      throw new Error(
        `scripts/infra.sh ${command} ${services.join(' ')} failed:\n${result.stderr}${result.stdout}`
      )
  }

  /** Stops everything (best effort) and removes the folder unless asked to keep it. */
  dispose(keep: boolean): void {
    try {
      this.infra('stop')
    } catch {
      // already down
    }
    if (!keep) rmSync(this.dir, { recursive: true, force: true })
  }
}
