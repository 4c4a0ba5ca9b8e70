/**
 * `npm run bench:api`: the API's two budgets on this machine.
 *
 * 1. Cached candle reads: N keep-alive connections request the latest candle window of one symbol
 *    (served from the cache) as fast as answers come back (http-load.ts); requests/s, latency p50/p99;
 *    once as JSON (no Accept-Encoding) and once as a browser asks (brotli, compressed once per answer).
 * 2. Live fan-out: 1,000 WebSocket clients subscribed to one channel; events published through Redis
 *    (as a writer does) at a fixed rate below saturation; delivery latency p50/p99 from publish to
 *    each client's receipt.
 *
 * The server runs in a child process so that it and the load generator each get a core. Everything
 * stays on loopback, bounded in time. Options: BENCH_CONNECTIONS (50), BENCH_SECONDS (10),
 * BENCH_CLIENTS (1000), BENCH_RATE (20 events/s), BENCH_LIMIT (candles per answer, 100).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { availableParallelism, cpus, totalmem } from 'node:os'
import pg from 'pg'
import WebSocket from 'ws'
import { createApiServer } from '../src/api/server.ts'
import { FailOpenCache } from '../src/cache/fail-open-cache.ts'
import { RedisCache } from '../src/cache/redis-cache.ts'
import { configFromEnv } from '../src/config/config.ts'
import { RedisLiveEvents } from '../src/live-events/redis-live-events.ts'
import { silentLogger } from '../src/log/logger.ts'
import { Health } from '../src/ops/health.ts'
import { createMetricsRegistry } from '../src/ops/metrics.ts'
import { migrate } from '../src/store/migrator.ts'
import { PostgresDatabase } from '../src/store/postgres/postgres-database.ts'
import { load } from './http-load.ts'

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback)
const CONNECTIONS = env('BENCH_CONNECTIONS', 50)
const SECONDS = env('BENCH_SECONDS', 10)
const CLIENTS = env('BENCH_CLIENTS', 1000)
const RATE = env('BENCH_RATE', 20)
const LIMIT = env('BENCH_LIMIT', 100)
const SYMBOL = 'BTC/USD'
const adminUrl = process.env.DATABASE_URL ?? 'postgres://cryptoviz:cryptoviz@127.0.0.1:5432/cryptoviz'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const now = (): number => performance.timeOrigin + performance.now()

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

async function serve(databaseUrl: string): Promise<void> {
  const log = silentLogger()
  const config = configFromEnv({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', REDIS_URL: redisUrl })
  const db = new PostgresDatabase({ url: databaseUrl, log, poolSize: 10 })
  const live = new RedisLiveEvents(redisUrl, log)
  const server = await createApiServer({
    settings: config.api,
    db,
    cache: new FailOpenCache(new RedisCache(redisUrl, log), { log }),
    live,
    metrics: createMetricsRegistry(),
    health: new Health(),
    log
  })
  const port = await server.listen('127.0.0.1', 0)
  process.send?.({ port })
  process.on('message', async message => {
    // The server's own CPU time, which other work on the machine does not inflate as it does latency.
    if (message === 'cpu') return void process.send?.({ cpu: process.cpuUsage() })
    await server.close()
    await live.close()
    await db.close()
    process.exit(0)
  })
}

/** CPU time (user + system, µs) the server process has used so far. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise(resolve => {
    const answer = (message: unknown): void => {
      const cpu = (message as { cpu?: NodeJS.CpuUsage }).cpu
      if (cpu === undefined) return
      child.off('message', answer)
      resolve(cpu.user + cpu.system)
    }
    child.on('message', answer)
    child.send('cpu')
  })
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `cvbench_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  try {
    return await fn(url.toString())
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

async function seed(url: string): Promise<void> {
  const db = new PostgresDatabase({ url, log: silentLogger(), poolSize: 1 })
  await migrate(db)
  await db.query(
    `insert into candles (symbol, interval, bucket, open, high, low, close, volume, quote_volume, vwap, trades,
                          buy_volume, sell_volume, first_trade_id, last_trade_id)
     select $1, '1m', now() - make_interval(mins => i), 91000.1 + i, 91010.2 + i, 90990.3 + i, 91005.4 + i,
            12.34567891, 1123456.789, 91003.2 + i, 120 + i, 6.1, 6.2345, i * 1000, i * 1000 + 119
       from generate_series(1, 2000) as i`,
    [SYMBOL]
  )
  await db.close()
}

/** A client that sends no Accept-Encoding (curl, a service) gets JSON; a browser gets brotli. */
async function cachedReads(server: ChildProcess, port: number, acceptEncoding?: string): Promise<void> {
  const path = `/api/candles?symbol=${encodeURIComponent(SYMBOL)}&interval=1m&limit=${LIMIT}`
  const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }
  await load({ port, path, connections: CONNECTIONS, seconds: 2, record: false, headers })
  const cpuBefore = await serverCpu(server)
  const result = await load({ port, path, connections: CONNECTIONS, seconds: SECONDS, headers })
  const cpuPerRequest = ((await serverCpu(server)) - cpuBefore) / Math.max(1, result.requests)
  const size = Math.round(result.bytes / Math.max(1, result.requests))
  const encoding = acceptEncoding === undefined ? 'no Accept-Encoding' : `Accept-Encoding: ${acceptEncoding}`
  console.log(
    `cached candle reads (${encoding}): ${CONNECTIONS} keep-alive connections, ${SECONDS} s, ${LIMIT} candles (${size} bytes) per answer\n` +
      `  ${Math.round(result.requests / result.seconds)} requests/s, latency p50 ${percentile(result.latencies, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(result.latencies, 99).toFixed(2)} ms, max ${percentile(result.latencies, 100).toFixed(2)} ms (target: ≥ 5000 req/s, p99 < 50 ms)\n` +
      `  server CPU ${cpuPerRequest.toFixed(1)} µs per request`
  )
}

async function fanOut(port: number): Promise<void> {
  const delays: number[] = []
  const sockets: WebSocket[] = []
  for (let i = 0; i < CLIENTS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, CLIENTS - i) }, async () => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/api/stream`)
        sockets.push(socket)
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject)
          socket.on('message', raw => {
            const message = JSON.parse(raw.toString()) as { type: string; data?: { sentAt: number } }
            if (message.type === 'subscribed') resolve()
            if (message.type === 'event' && message.data !== undefined)
              delays.push(now() - message.data.sentAt)
          })
          socket.once('open', () =>
            socket.send(JSON.stringify({ op: 'subscribe', channels: [`trades:${SYMBOL}`] }))
          )
        })
      })
    )
  }
  const writer = new RedisLiveEvents(redisUrl, silentLogger())
  const events = RATE * SECONDS
  for (let i = 0; i < events; i++) {
    const sentAt = now()
    await writer.publish([
      {
        channel: 'trades',
        key: SYMBOL,
        storedAt: new Date().toISOString(),
        data: { sentAt, symbol: SYMBOL, tradeId: i, price: '91000.12345', qty: '0.01', side: 'buy' }
      }
    ])
    await new Promise(resolve => setTimeout(resolve, Math.max(0, 1000 / RATE - (now() - sentAt))))
  }
  await new Promise(resolve => setTimeout(resolve, 1_000))
  await writer.close()
  for (const socket of sockets) socket.close()
  delays.sort((a, b) => a - b)
  console.log(
    `live fan-out: ${CLIENTS} WebSocket clients, ${events} events at ${RATE}/s through Redis\n` +
      `  ${delays.length} of ${events * CLIENTS} deliveries, latency p50 ${percentile(delays, 50).toFixed(2)} ms, ` +
      `p99 ${percentile(delays, 99).toFixed(2)} ms, max ${percentile(delays, 100).toFixed(2)} ms (target: p99 < 100 ms)`
  )
}

async function main(): Promise<void> {
  console.log(
    `crypto-viz bench:api — node ${process.version}, availableParallelism ${availableParallelism()}, ` +
      `${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; server in a child process, load on loopback`
  )
  await withDatabase(async url => {
    await seed(url)
    const child = fork(new URL(import.meta.url), ['--serve', url], { stdio: 'inherit' })
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', message => resolve((message as { port: number }).port))
      child.once('exit', code => reject(new Error(`server exited with ${code}`)))
    })
    try {
      await cachedReads(child, port)
      await cachedReads(child, port, 'gzip, deflate, br, zstd')
      await fanOut(port)
    } finally {
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.send('stop')
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5_000))])
      child.kill()
    }
  })
}

if (process.argv[2] === '--serve') await serve(process.argv[3] ?? '')
else await main()
