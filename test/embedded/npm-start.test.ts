/**
 * The README's first command on a machine with nothing but Node: `npm start -- --replay` (here
 * `node src/cli.ts all --replay`, what npm runs) from a clean data folder serves candles and
 * articles, refuses a second instance on the same folder, stops cleanly on SIGTERM, and a restart
 * keeps the data and resumes from its committed offsets without duplicating a trade.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import type { PipelineStatusBody } from '../../src/api/pipeline/pipeline-status.ts'
import { RUN_ID_STRIDE } from '../../src/sim/replay-state.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { getJson } from '../helpers/api.ts'
import { type AllProcess, spawnAll, startAll } from '../helpers/all-process.ts'
import { waitFor } from '../helpers/wait.ts'

const migrations = (await readdir('src/store/migrations')).filter(f => f.endsWith('.sql')).length
const home = await mkdtemp(join(tmpdir(), 'cv-npm-start-'))
const dataDir = join(home, 'data')
after(() => rm(home, { recursive: true, force: true }))

let running: AllProcess | undefined
after(() => running?.stop('SIGKILL'))

type Offsets = Map<string, number>

/** Committed offsets of a group per topic/partition, as the API reports them. */
function committed(status: PipelineStatusBody, group: string): Offsets {
  const found = status.kafka.groups.find(g => g.groupId === group)
  return new Map((found?.partitions ?? []).map(p => [`${p.topic}/${p.partition}`, p.committedOffset]))
}

let newestBeforeStop: { tradeId: number; ts: string } | undefined
let committedBeforeStop: Offsets = new Map()

test('from a clean folder it serves candles and articles with no HTML entity in any field, says what it did, and refuses a second instance', async () => {
  running = await startAll(dataDir, ['--replay'], { cwd: home })
  const { url } = running
  const candles = await waitFor(
    'candles from the replayed market',
    async () => {
      const { body } = await getJson<{ candles: unknown[] }>(url, '/api/candles?symbol=BTC/USD&interval=1m')
      return body.candles.length > 0 && body.candles
    },
    90_000,
    500
  )
  assert.ok(candles.length > 0)
  const articles = await waitFor(
    'articles from the replayed feeds, the double-encoded ones included',
    async () => {
      const { body } = await getJson<{ articles: Record<string, unknown>[] }>(url, '/api/articles?limit=200')
      // Among them the two feeds that double-encode (fixtures/feeds: decrypt, blockworks).
      const urls = body.articles.map(a => String(a.url))
      const doubleEncoded = ['decrypt.co/', 'blockworks.co/'].every(site => urls.some(u => u.includes(site)))
      return doubleEncoded && body.articles
    },
    60_000,
    500
  )
  // The bundled feeds escape their text, some twice (&amp;#8217;): every text the API hands the
  // dashboard must be decoded exactly once.
  const entity = /&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i
  for (const article of articles)
    for (const [field, value] of Object.entries(article))
      if (typeof value === 'string')
        assert.doesNotMatch(value, entity, `article ${String(article.id)} ${field}`)
  const { body: symbols } = await getJson<{ symbols: { symbol: string }[] }>(url, '/api/symbols')
  assert.ok(symbols.symbols.some(s => s.symbol === 'ETH/USD'))
  const status = await waitFor(
    'every stage up, with the replay named',
    async () => {
      const { body } = await getJson<PipelineStatusBody>(url, '/api/pipeline')
      return body.stages.every(s => s.status === 'up') && body.sources.mode === 'replay' && body
    },
    30_000,
    500
  )
  assert.equal(status.sources.kraken?.state, 'connected')
  assert.equal(status.sources.notice, null)

  const second = spawnAll(dataDir, ['--replay'], { cwd: home })
  const code = await new Promise<number | null>(resolve => second.child.once('exit', resolve))
  assert.notEqual(code, 0)
  assert.match(second.stderr(), /CV_ERR_INSTANCE_RUNNING.*already running on the data folder/)

  const { body: trades } = await getJson<{ trades: { tradeId: number; ts: string }[] }>(
    url,
    '/api/trades?symbol=BTC/USD&limit=1'
  )
  newestBeforeStop = trades.trades[0]
  committedBeforeStop = committed(
    (await getJson<PipelineStatusBody>(url, '/api/pipeline')).body,
    'crypto-viz-ingest'
  )
  assert.ok(committedBeforeStop.size > 0)

  assert.equal(await running.stop('SIGTERM'), 0, 'a graceful stop exits 0')
  const out = running.stdout()
  for (const line of [
    '✓ embedded bus ready',
    `✓ database ready: PGlite, ${migrations} migration(s) applied`,
    '✓ ingest consuming',
    'replay: bundled data',
    '✓ Kraken connected',
    '✓ stopped; data kept in'
  ])
    assert.ok(out.includes(line), `the terminal says "${line}":\n${out}`)
  assert.doesNotMatch(running.stderr(), /"level":/, 'no JSON logs on the terminal')
  running = undefined
})

test('a restart keeps the data, resumes from the committed offsets, and duplicates no trade', async () => {
  assert.ok(newestBeforeStop !== undefined, 'the first run stored trades')
  running = await startAll(dataDir, ['--replay'], { cwd: home })
  const { url } = running
  const first = (await getJson<PipelineStatusBody>(url, '/api/pipeline')).body
  for (const [partition, offset] of committedBeforeStop)
    assert.ok(
      (committed(first, 'crypto-viz-ingest').get(partition) ?? -1) >= offset,
      `ingest resumes at or after its committed offset on ${partition}`
    )
  await waitFor(
    'trades of the second run',
    async () => {
      const { body } = await getJson<{ trades: { tradeId: number }[] }>(
        url,
        '/api/trades?symbol=BTC/USD&limit=1'
      )
      return (body.trades[0]?.tradeId ?? 0) >= RUN_ID_STRIDE
    },
    60_000,
    500
  )
  // Everything the first run published (drained into the bus when it stopped) is behind both jobs.
  const target = first.kafka.groups.flatMap(g => g.partitions).filter(p => p.topic === 'rawtrade')
  await waitFor(
    'ingest and analytics past the first run',
    async () => {
      const now = (await getJson<PipelineStatusBody>(url, '/api/pipeline')).body
      return ['crypto-viz-ingest', 'crypto-viz-analytics'].every(group =>
        target.every(p => (committed(now, group).get(`${p.topic}/${p.partition}`) ?? -1) >= p.endOffset)
      )
    },
    60_000,
    500
  )
  assert.equal(await running.stop('SIGTERM'), 0)
  running = undefined

  const db = await PgliteDatabase.open(join(dataDir, 'embedded', 'pg'))
  try {
    const { rows: totals } = await db.query<{ n: number; distinct: number }>(
      'select count(*) as n, count(distinct (symbol, trade_id)) as distinct from trades'
    )
    assert.ok((totals[0]?.n ?? 0) > 0)
    assert.equal(totals[0]?.n, totals[0]?.distinct, 'no trade stored twice')
    const kept = await db.query('select 1 from trades where symbol = $1 and trade_id = $2', [
      'BTC/USD',
      newestBeforeStop.tradeId
    ])
    assert.equal(kept.rowCount, 1, 'the first run’s trades are still there')
    const { rows: runs } = await db.query<{ symbol: string; run: number; n: number; span: number }>(
      `select symbol, trade_id / ${RUN_ID_STRIDE} as run, count(*) as n, max(trade_id) - min(trade_id) + 1 as span
         from trades group by 1, 2 order by 1, 2`
    )
    assert.ok(
      runs.some(r => r.run === 1),
      'the second run continued past the first run’s ids'
    )
    for (const r of runs)
      assert.equal(r.n, r.span, `trade ids of ${r.symbol}, run ${r.run + 1}, have no hole`)
    // Candles of the minutes before the second run counted every stored trade exactly once.
    const { rows: minutes } = await db.query<{
      symbol: string
      bucket: string
      stored: number
      counted: number | null
    }>(
      `with boundary as (select min(ts) as t from trades where trade_id >= ${RUN_ID_STRIDE}),
            stored as (select symbol, date_bin('1 minute', ts, timestamptz 'epoch') as bucket, count(*) as n
                         from trades, boundary where ts < boundary.t group by 1, 2)
       select s.symbol, s.bucket, s.n as stored, c.trades as counted
         from stored s cross join boundary
         left join candles c on c.symbol = s.symbol and c.interval = '1m' and c.bucket = s.bucket
        where s.bucket + interval '1 minute' <= boundary.t`
    )
    assert.ok(minutes.length > 0, 'some minutes lie wholly before the restart')
    for (const m of minutes)
      assert.equal(m.counted, m.stored, `${m.symbol} ${m.bucket}: candle trades = stored trades`)
  } finally {
    await db.close()
  }
})
