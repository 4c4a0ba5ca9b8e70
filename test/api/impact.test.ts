/**
 * GET /api/impact and /api/impact/sources over stored impact rows, on PostgreSQL and on the embedded
 * PGlite: filters, both orders, cursor paging, the 400s, the per-source statistics against a
 * computation from the same rows, the impact on article answers, and the cache invalidated by the
 * live `impact` channel.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MemoryLiveEvents } from '../../src/live-events/memory-live-events.ts'
import type { Database } from '../../src/store/database.ts'
import { migrate } from '../../src/store/migrator.ts'
import { PgliteDatabase } from '../../src/store/pglite/pglite-database.ts'
import { upsertArticles } from '../../src/store/writers/articles.ts'
import { type ImpactRow, writeImpact } from '../../src/store/writers/impact.ts'
import { writeArticleSentiment } from '../../src/store/writers/sentiment.ts'
import { getJson, startTestApi } from '../helpers/api.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { article } from '../helpers/messages.ts'
import { waitFor } from '../helpers/wait.ts'

const HORIZONS = ['5m', '30m', '2h', '24h'] as const
type Horizon = (typeof HORIZONS)[number]
type PerHorizon<T> = Record<Horizon, T>

interface Move {
  articleId: string
  title: string
  source: string
  url: string
  publishedAt: string
  symbol: string
  sentiment: { score: number; label: string } | null
  returns: PerHorizon<string | null>
  abnormal: PerHorizon<string | null>
  volumeRatio: PerHorizon<string | null>
  final: PerHorizon<boolean>
}
interface MovesBody {
  moves: Move[]
  nextCursor: string | null
}
interface Source {
  source: string
  articles: number
  moves: number
  meanAbsAbnormal: string | null
  signCompared: number
  signMatched: number
  hitRate: string | null
}

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString()

/** A seeded move: per horizon the return and abnormal figures are a fixed function of n. */
interface Seed {
  n: number
  source: string
  label: 'positive' | 'negative' | 'neutral'
  symbols: string[]
  /** The return's sign at every horizon. */
  sign: 1 | -1 | 0
  /** No abnormal figure (too little history). */
  noSigma?: boolean
  /** Horizons still open. */
  open?: Horizon[]
}

const SEEDS: Seed[] = [
  { n: 1, source: 'coindesk', label: 'positive', symbols: ['BTC/USD'], sign: 1 },
  { n: 2, source: 'coindesk', label: 'negative', symbols: ['BTC/USD', 'ETH/USD'], sign: 1 },
  { n: 3, source: 'decrypt', label: 'negative', symbols: ['ETH/USD'], sign: -1 },
  { n: 4, source: 'decrypt', label: 'neutral', symbols: ['BTC/USD'], sign: -1 },
  { n: 5, source: 'coindesk', label: 'positive', symbols: ['SOL/USD'], sign: 0, noSigma: true },
  { n: 6, source: 'decrypt', label: 'positive', symbols: ['BTC/USD'], sign: 1, open: ['2h', '24h'] }
]

const articleOf = (seed: Seed) =>
  article(`Impact seed ${seed.n}`, {
    source: seed.source,
    publishedAt: at(seed.n * 7),
    coins: seed.symbols.map(s => ({ code: s.split('/')[0] as string, mentions: 1, inTitle: true }))
  })

/** Return at horizon index k: sign × (n·10 + k + symbol index) / 10^4, as 12-decimal text. */
const returnOf = (seed: Seed, s: number, k: number): string =>
  seed.sign === 0
    ? '0.000000000000'
    : `${seed.sign < 0 ? '-' : ''}0.00${String(seed.n * 10 + k + s).padStart(2, '0')}00000000`
/** Abnormal: the return in units of 10^-4 / 3 (so the order of |abnormal| follows n, k and s). */
const abnormalOf = (seed: Seed, s: number, k: number): string | null =>
  seed.noSigma === true ? null : ((Number(returnOf(seed, s, k)) * 10_000) / 3).toFixed(6)

function impactRows(seed: Seed): ImpactRow[] {
  const a = articleOf(seed)
  return seed.symbols.flatMap((symbol, s) =>
    HORIZONS.map((horizon, k) => ({
      articleId: a.id,
      symbol,
      horizon,
      publishedAt: a.publishedAt,
      windowEnd: a.publishedAt,
      p0: '100.00000',
      pH: '100.00000',
      returnH: returnOf(seed, s, k),
      sigma: seed.noSigma === true ? null : 0.0003,
      abnormal: abnormalOf(seed, s, k),
      volumeRatio: `${seed.n}.${k}00000`,
      final: !(seed.open ?? []).includes(horizon)
    }))
  )
}

async function seedAll(db: Database, seeds: readonly Seed[]): Promise<void> {
  await upsertArticles(db, seeds.map(articleOf))
  await writeArticleSentiment(
    db,
    seeds.map(seed => ({
      articleId: articleOf(seed).id,
      score: seed.label === 'positive' ? 0.6 : seed.label === 'negative' ? -0.6 : 0,
      label: seed.label,
      positiveTerms: [],
      negativeTerms: [],
      model: 'test'
    }))
  )
  await writeImpact(db, seeds.flatMap(impactRows))
}

/** Every (seed, symbol) as the API must show it. */
function expectedMoves(seeds: readonly Seed[]): Move[] {
  return seeds.flatMap(seed => {
    const a = articleOf(seed)
    return seed.symbols.map((symbol, s) => {
      const per = <T>(f: (h: Horizon, k: number) => T): PerHorizon<T> =>
        Object.fromEntries(HORIZONS.map((h, k) => [h, f(h, k)])) as PerHorizon<T>
      return {
        articleId: a.id,
        title: a.title,
        source: a.source,
        url: a.url,
        publishedAt: a.publishedAt.replace('.000Z', 'Z'),
        symbol,
        sentiment: {
          score: seed.label === 'positive' ? 0.6 : seed.label === 'negative' ? -0.6 : 0,
          label: seed.label
        },
        returns: per((_h, k) => returnOf(seed, s, k)),
        abnormal: per((_h, k) => abnormalOf(seed, s, k)),
        volumeRatio: per((_h, k) => `${seed.n}.${k}00000`),
        final: per(h => !(seed.open ?? []).includes(h))
      }
    })
  })
}

const newestFirst = (moves: Move[]): Move[] =>
  [...moves].sort((a, b) =>
    a.publishedAt === b.publishedAt
      ? `${b.articleId} ${b.symbol}`.localeCompare(`${a.articleId} ${a.symbol}`)
      : b.publishedAt.localeCompare(a.publishedAt)
  )

async function pages(url: string, path: string): Promise<Move[]> {
  const all: Move[] = []
  let cursor: string | null = null
  for (let page = 0; page < 20; page++) {
    const { status, body }: { status: number; body: MovesBody } = await getJson<MovesBody>(
      url,
      `${path}${cursor === null ? '' : `&cursor=${cursor}`}`
    )
    assert.equal(status, 200, JSON.stringify(body))
    all.push(...body.moves)
    cursor = body.nextCursor
    if (cursor === null) return all
  }
  throw new Error('more pages than rows')
}

async function open(kind: 'postgres' | 'pglite'): Promise<{ db: Database; drop(): Promise<void> }> {
  if (kind === 'postgres') return createTestDatabase()
  const db = await PgliteDatabase.open()
  await migrate(db)
  return { db, drop: () => db.close() }
}

for (const kind of ['postgres', 'pglite'] as const) {
  test(`${kind}: /api/impact lists each article × symbol with its four horizons, filtered, in both orders, paged`, async () => {
    const opened = await open(kind)
    const api = await startTestApi({ db: opened.db, cache: 'memory' })
    try {
      await seedAll(opened.db, SEEDS)
      const expected = expectedMoves(SEEDS)
      const { body } = await getJson<MovesBody>(api.url, '/api/impact')
      assert.deepEqual(body.moves, newestFirst(expected), 'newest first, every figure as stored')
      assert.deepEqual(await pages(api.url, '/api/impact?limit=2'), newestFirst(expected), 'pages of 2')

      // Largest |abnormal| at 30m first; moves without an abnormal figure left out.
      const ranked = [...expected]
        .filter(m => m.abnormal['30m'] !== null)
        .sort((a, b) => Math.abs(Number(b.abnormal['30m'])) - Math.abs(Number(a.abnormal['30m'])))
      assert.deepEqual(await pages(api.url, '/api/impact?sort=abnormal&limit=3'), ranked)
      const at2h = await pages(api.url, '/api/impact?sort=abnormal&horizon=2h&minAbnormal=10&limit=1')
      assert.deepEqual(
        at2h,
        [...expected]
          .filter(m => Math.abs(Number(m.abnormal['2h'])) >= 10)
          .sort((a, b) => Math.abs(Number(b.abnormal['2h'])) - Math.abs(Number(a.abnormal['2h'])))
      )
      assert.ok(at2h.length >= 2 && at2h.length < ranked.length, 'the minimum leaves some out')

      const btc = await pages(api.url, '/api/impact?symbol=BTC/USD&source=coindesk&limit=5')
      assert.deepEqual(
        btc,
        newestFirst(expected.filter(m => m.symbol === 'BTC/USD' && m.source === 'coindesk'))
      )
      const ranged = await pages(api.url, `/api/impact?from=${at(14)}&to=${at(28)}`)
      assert.deepEqual(
        ranged.map(m => m.title),
        ['Impact seed 3', 'Impact seed 2', 'Impact seed 2'],
        'from inclusive, to exclusive'
      )

      const { body: articles } = await getJson<{ articles: { id: string; impact: unknown[] }[] }>(
        api.url,
        '/api/articles?limit=50'
      )
      const two = articles.articles.find(a => a.id === articleOf(SEEDS[1] as Seed).id)
      assert.deepEqual(
        two?.impact,
        expected
          .filter(m => m.articleId === two?.id)
          .map(({ symbol, returns, abnormal, volumeRatio, final }) => ({
            symbol,
            returns,
            abnormal,
            volumeRatio,
            final
          })),
        'an article answer carries its impact per symbol'
      )
    } finally {
      await api.close()
      await opened.drop()
    }
  })
}

test('/api/impact refuses bad parameters with the parameter named, and a cursor of the other order', async () => {
  const opened = await open('postgres')
  const api = await startTestApi({ db: opened.db, cache: 'memory' })
  try {
    await seedAll(opened.db, SEEDS)
    for (const [query, parameter] of [
      ['horizon=1h', 'horizon'],
      ['sort=size', 'sort'],
      ['minAbnormal=-1', 'minAbnormal'],
      ['minAbnormal=1e3', 'minAbnormal'],
      ['symbol=btc', 'symbol'],
      ['from=yesterday', 'from'],
      ['asOf=2026-02-30T00:00:00Z', 'asOf'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour']
    ] as const) {
      const { status, body } = await getJson<{ error: string; parameter?: string }>(
        api.url,
        `/api/impact?${query}`
      )
      assert.equal(status, 400, query)
      assert.equal(body.parameter, parameter, `${query}: ${JSON.stringify(body)}`)
    }
    const { body } = await getJson<MovesBody>(api.url, '/api/impact?limit=1')
    assert.ok(body.nextCursor)
    const crossed = await getJson<{ parameter?: string; message: string }>(
      api.url,
      `/api/impact?sort=abnormal&cursor=${body.nextCursor}`
    )
    assert.equal(crossed.status, 400)
    assert.equal(crossed.body.parameter, 'cursor')
    const sources = await getJson<{ parameter?: string }>(api.url, '/api/impact/sources?horizon=3m')
    assert.equal(sources.status, 400)
    assert.equal(sources.body.parameter, 'horizon')
  } finally {
    await api.close()
    await opened.drop()
  }
})

for (const kind of ['postgres', 'pglite'] as const) {
  test(`${kind}: with asOf, the moves are as known at that moment: a horizon whose window had not ended is null and not final, and rankings and source statistics leave it out`, async () => {
    const opened = await open(kind)
    const api = await startTestApi({ db: opened.db, cache: 'memory' })
    try {
      const seed: Seed = { n: 8, source: 'theblock', label: 'positive', symbols: ['BTC/USD'], sign: 1 }
      await seedAll(opened.db, [seed])
      // Real windows this time: each horizon's window ends its length after the publication.
      const published = Date.parse(articleOf(seed).publishedAt)
      const minutes = { '5m': 5, '30m': 30, '2h': 120, '24h': 1440 } as const
      await writeImpact(
        opened.db,
        impactRows(seed).map(row => ({
          ...row,
          windowEnd: new Date(published + minutes[row.horizon as Horizon] * 60_000).toISOString()
        }))
      )
      const [full] = expectedMoves([seed]) as [Move]
      const asOf = new Date(published + 40 * 60_000).toISOString()
      const thenKnown = {
        returns: { ...full.returns, '2h': null, '24h': null },
        abnormal: { ...full.abnormal, '2h': null, '24h': null },
        volumeRatio: { ...full.volumeRatio, '2h': null, '24h': null },
        final: { ...full.final, '2h': false, '24h': false }
      }
      const { body: articles } = await getJson<{ articles: { id: string; impact: unknown[] }[] }>(
        api.url,
        `/api/articles?asOf=${asOf}`
      )
      assert.deepEqual(articles.articles.find(a => a.id === full.articleId)?.impact, [
        { symbol: 'BTC/USD', ...thenKnown }
      ])
      const { body: now } = await getJson<{ articles: { id: string; impact: unknown[] }[] }>(
        api.url,
        '/api/articles'
      )
      assert.deepEqual(
        now.articles.find(a => a.id === full.articleId)?.impact,
        [
          {
            symbol: 'BTC/USD',
            returns: full.returns,
            abnormal: full.abnormal,
            volumeRatio: full.volumeRatio,
            final: full.final
          }
        ],
        'without asOf, every figure as stored'
      )
      const listed = await getJson<MovesBody>(api.url, `/api/impact?asOf=${asOf}`)
      assert.deepEqual(listed.body.moves, [{ ...full, ...thenKnown }])
      for (const [horizon, shown] of [
        ['30m', 1],
        ['2h', 0]
      ] as const) {
        const ranked = await getJson<MovesBody>(
          api.url,
          `/api/impact?sort=abnormal&horizon=${horizon}&asOf=${asOf}`
        )
        assert.equal(ranked.body.moves.length, shown, `ranked at ${horizon}`)
        const filtered = await getJson<MovesBody>(
          api.url,
          `/api/impact?minAbnormal=0&horizon=${horizon}&asOf=${asOf}`
        )
        assert.equal(filtered.body.moves.length, shown, `filtered at ${horizon}`)
        const sources = await getJson<{ sources: Source[] }>(
          api.url,
          `/api/impact/sources?horizon=${horizon}&asOf=${asOf}`
        )
        assert.equal(
          sources.body.sources.find(x => x.source === 'theblock')?.moves ?? 0,
          shown,
          `sources at ${horizon}`
        )
      }
    } finally {
      await api.close()
      await opened.drop()
    }
  })
}

const millionths = (n: number): string => `${Math.floor(n / 1e6)}.${String(n % 1e6).padStart(6, '0')}`

/** The per-source statistics computed from the seeds, the obvious way (final moves only). */
function expectedSources(seeds: readonly Seed[], horizon: Horizon): Source[] {
  const k = HORIZONS.indexOf(horizon)
  const bySource = new Map<
    string,
    { articles: Set<number>; sizes: number[]; compared: number; matched: number }
  >()
  for (const seed of seeds) {
    if ((seed.open ?? []).includes(horizon) || seed.noSigma === true) continue
    const own = bySource.get(seed.source) ?? { articles: new Set(), sizes: [], compared: 0, matched: 0 }
    seed.symbols.forEach((_symbol, s) => {
      own.articles.add(seed.n)
      // In millionths, exactly: the API rounds the exact mean half away from zero to 6 decimals.
      own.sizes.push(Math.abs(Math.round(Number(abnormalOf(seed, s, k)) * 1e6)))
      if (seed.label !== 'neutral' && seed.sign !== 0) {
        own.compared++
        if ((seed.label === 'positive') === seed.sign > 0) own.matched++
      }
    })
    bySource.set(seed.source, own)
  }
  return [...bySource]
    .map(([source, s]) => ({
      source,
      articles: s.articles.size,
      moves: s.sizes.length,
      meanAbsAbnormal: millionths(Math.round(s.sizes.reduce((a, b) => a + b, 0) / s.sizes.length)),
      signCompared: s.compared,
      signMatched: s.matched,
      hitRate: s.compared === 0 ? null : millionths(Math.round((s.matched * 1e6) / s.compared))
    }))
    .sort((a, b) => b.moves - a.moves || a.source.localeCompare(b.source))
}

for (const kind of ['postgres', 'pglite'] as const) {
  test(`${kind}: /api/impact/sources counts each source's final moves, their mean |abnormal| and its sentiment's hit rate`, async () => {
    const opened = await open(kind)
    const api = await startTestApi({ db: opened.db, cache: 'memory' })
    try {
      await seedAll(opened.db, SEEDS)
      for (const horizon of ['30m', '2h'] as const) {
        const { status, body } = await getJson<{ horizon: string; sources: Source[] }>(
          api.url,
          `/api/impact/sources?horizon=${horizon}`
        )
        assert.equal(status, 200)
        assert.deepEqual(body, { horizon, sources: expectedSources(SEEDS, horizon) })
      }
    } finally {
      await api.close()
      await opened.drop()
    }
  })
}

test('a cached impact answer is replaced as soon as the live impact channel says new rows were stored', async () => {
  const opened = await open('postgres')
  const live = new MemoryLiveEvents()
  // A staleness bound of 10 minutes: only the invalidation can explain a fresh answer.
  const api = await startTestApi({ db: opened.db, live, env: { CACHE_MAX_STALENESS_MS: '600000' } })
  try {
    const first = SEEDS.slice(0, 3)
    await seedAll(opened.db, first)
    const read = async (): Promise<number> =>
      (await getJson<{ sources: Source[] }>(api.url, '/api/impact/sources')).body.sources.reduce(
        (n, s) => n + s.moves,
        0
      )
    const readMoves = async (): Promise<number> =>
      (await getJson<MovesBody>(api.url, '/api/impact?limit=100')).body.moves.length
    assert.equal(await read(), 4)
    assert.equal(await readMoves(), 4)
    await seedAll(opened.db, SEEDS.slice(3, 4))
    assert.equal(await read(), 4, 'cached: the new row is not read yet')
    assert.equal(await readMoves(), 4, 'cached: the new row is not listed yet')
    await live.publish([{ channel: 'impact', key: 'BTC/USD', data: [], storedAt: new Date().toISOString() }])
    await waitFor('the sources answer with the new move', async () => (await read()) === 5)
    await waitFor('the list with the new move', async () => (await readMoves()) === 5)
  } finally {
    await api.close()
    await opened.drop()
  }
})
