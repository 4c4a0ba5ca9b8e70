import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { ConsumedRecord } from '../../../src/bus/bus.ts'
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.ts'
import { configFromEnv } from '../../../src/config/config.ts'
import { silentLogger } from '../../../src/log/logger.ts'
import { createMetricsRegistry } from '../../../src/ops/metrics.ts'
import { articleCodec } from '../../../src/schemas/index.ts'
import { startFakeFeeds } from '../../../src/sim/news/fake-feed-server.ts'
import { NewsProducer, type PollTimer } from '../../../src/sources/news/news-producer.ts'
import { createProducerMetrics } from '../../../src/sources/producer-metrics.ts'
import { BufferedPublisher } from '../../../src/sources/publish/buffered-publisher.ts'
import { consumeUntil } from '../../helpers/consume.ts'
import { createTopics, testKafka } from '../../helpers/kafka.ts'
import { startNews, tempDataDir } from '../../helpers/news-harness.ts'
import { waitFor } from '../../helpers/wait.ts'

/** Loopback feeds answer at once; a fetch still gets a generous ceiling so a busy machine never fails one. */
const patient = { fetchTimeoutMs: 60_000 }

/**
 * Every record of the topic: as many as its partitions' offsets say were written (so a duplicate
 * shows however late it would have been consumed), read back from the beginning.
 */
async function topicRecords(topic: string): Promise<ConsumedRecord[]> {
  const bus = new KafkaBus(testKafka, silentLogger())
  let written = 0
  try {
    for (const p of await bus.inspector.partitionOffsets([topic])) written += Number(p.end - p.start)
  } finally {
    await bus.close()
  }
  const records = await consumeUntil([topic], read => read.length >= written, 60_000)
  assert.equal(records.length, written, `${topic}: records read = records written`)
  return records
}

test('the same story across feeds and across restarts is published once; unchanged feeds answer 304', async () => {
  const [topic] = await createTopics(3, 'articles')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const dataDir = tempDataDir()
  const names = ['coindesk', 'cointelegraph', 'cointelegraph-bitcoin', 'cryptoslate', 'theblock']
  const specs = names.map(name => ({ name, url: feeds.url(`${name}.xml`) }))
  try {
    const first = await startNews({ feeds: specs, topic, dataDir, news: patient })
    await first.producer.pollNow()
    await first.producer.pollNow()
    await first.flush()
    const statuses = first.producer.status()
    await first.stop()
    // coindesk 4 + cointelegraph 4 + its tag feed 1 new (2 repeat the main feed) + cryptoslate 3
    // (one is the Cointelegraph press release's title: a cross-source near-duplicate) + theblock 1
    // new (the other repeats a CryptoSlate title).
    const expected = 4 + 4 + 1 + 2 + 1
    const published = statuses.reduce((n, s) => n + s.published, 0)
    assert.equal(published, expected)
    assert.equal(
      statuses.reduce((n, s) => n + s.duplicates, 0),
      4
    )
    assert.equal(feeds.stats().notModified, names.length, 'the second poll of each feed was a 304')

    const second = await startNews({ feeds: specs, topic, dataDir, news: patient })
    await second.producer.pollNow()
    await second.flush()
    const after = second.producer.status()
    await second.stop()
    assert.equal(
      after.reduce((n, s) => n + s.published, 0),
      0,
      'a restart republishes nothing'
    )
    assert.equal(
      after.reduce((n, s) => n + s.duplicates, 0),
      expected + 4
    )

    const records = await topicRecords(topic)
    assert.equal(records.length, expected)
    const articles = records.map(r => articleCodec.decode(r.value))
    assert.equal(new Set(articles.map(a => a.id)).size, expected)
    assert.ok(
      records.every(r => r.key === articleCodec.decode(r.value).id),
      'keyed by article id'
    )
  } finally {
    await feeds.close()
  }
})

test('a feed that publishes a new item gets only that item published on the next poll', async () => {
  const [topic] = await createTopics(1, 'articles-new')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const run = await startNews({
    feeds: [{ name: 'dlnews', url: feeds.url('dlnews.xml') }],
    topic,
    dataDir: tempDataDir(),
    news: patient
  })
  try {
    await run.producer.pollNow()
    const original = readFileSync('fixtures/feeds/dlnews.xml', 'utf8')
    const item = `<item><title>Solana ETF filing amended</title><link>https://www.dlnews.com/articles/markets/solana-etf-filing-amended/</link><guid>sol-etf</guid><pubDate>Mon, 10 Nov 2025 17:00:00 +0000</pubDate><description>SOL issuers updated their S-1s.</description></item>`
    feeds.setDocument('dlnews.xml', original.replace('<item>', `${item}<item>`))
    await run.producer.pollNow()
    await run.flush()
    assert.equal(run.producer.status()[0]?.published, 3)
  } finally {
    await run.stop()
    await feeds.close()
  }
  const records = await topicRecords(topic)
  assert.equal(records.length, 3)
  assert.deepEqual(records.map(r => articleCodec.decode(r.value).title).at(-1), 'Solana ETF filing amended')
})

test('broken feeds are reported one by one, and the healthy ones are published anyway', async () => {
  const [topic] = await createTopics(1, 'articles-broken')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const broken = {
    truncated: 'broken/truncated.xml',
    cloudflare: 'broken/cloudflare.html',
    opml: 'broken/unknown-root.xml',
    klingon: 'broken/unsupported-encoding.xml',
    forbidden: 'status/403',
    limited: 'status/429?retryAfter=90',
    missing: 'feeds/gone.xml'
  }
  const specs = [
    { name: 'decrypt', url: feeds.url('decrypt.xml') },
    ...Object.entries(broken).map(([name, path]) => ({ name, url: feeds.url(path) })),
    { name: 'mislabelled', url: feeds.url('broken/mislabelled-cp1252.xml') },
    { name: 'blockworks', url: feeds.url('blockworks.xml') }
  ]
  const run = await startNews({ feeds: specs, topic, dataDir: tempDataDir(), news: patient })
  // A feed that never answers fails by the fetch timeout. It has a producer of its own with a short
  // one, so that every feed that does answer keeps all the time it needs however busy the machine.
  const silent = await startNews({
    feeds: [{ name: 'timeout', url: feeds.url('slow') }],
    topic,
    dataDir: tempDataDir(),
    news: { fetchTimeoutMs: 500 }
  })
  try {
    await Promise.all([run.producer.pollNow(), silent.producer.pollNow()])
    await run.flush()
    const status = new Map([...run.producer.status(), ...silent.producer.status()].map(s => [s.name, s]))
    const failingNames = [...Object.keys(broken), 'timeout']
    const kinds = Object.fromEntries(failingNames.map(name => [name, status.get(name)?.lastError?.kind]))
    assert.deepEqual(kinds, {
      truncated: 'bad_xml',
      cloudflare: 'not_xml',
      opml: 'unknown_format',
      klingon: 'encoding',
      forbidden: 'http_status',
      limited: 'http_status',
      timeout: 'timeout',
      missing: 'http_status'
    })
    assert.match(status.get('forbidden')?.lastError?.message ?? '', /HTTP 403 \(bot protection/)
    for (const name of failingNames) assert.equal(status.get(name)?.state, 'failing')
    assert.equal(status.get('decrypt')?.published, 3)
    assert.equal(status.get('blockworks')?.published, 3)
    assert.equal(status.get('mislabelled')?.published, 1, 'a mislabelled encoding is recovered, not fatal')
    const down = async (metrics: typeof run.metrics): Promise<number> =>
      (await metrics.feedUp.get()).values.filter(v => v.value === 0).length
    assert.equal((await down(run.metrics)) + (await down(silent.metrics)), failingNames.length)
  } finally {
    await run.stop()
    await silent.stop()
    await feeds.close()
  }
  const records = await topicRecords(topic)
  assert.equal(records.length, 7)
  const titles = records.map(r => articleCodec.decode(r.value).title)
  assert.ok(titles.includes('“Bitcoin café” accepts BTC for €5 coffees'))
})

/** Poll timers the test fires itself, each with the delay the producer's schedule chose for it. */
function manualTimers(): { timer: PollTimer; pending: { delayMs: number; fire: () => void }[] } {
  const pending: { delayMs: number; fire: () => void }[] = []
  return {
    pending,
    timer: (poll, delayMs) => {
      const entry = { delayMs, fire: poll }
      pending.push(entry)
      return () => {
        const index = pending.indexOf(entry)
        if (index !== -1) pending.splice(index, 1)
      }
    }
  }
}

test('scheduled polling keeps going on its own, with failing feeds backing off', async () => {
  const [topic] = await createTopics(1, 'articles-sched')
  assert.ok(topic)
  const feeds = await startFakeFeeds()
  const intervalMs = 200
  const urls = { theblock: feeds.url('theblock.xml'), down: feeds.url('status/500') }
  const names = ['theblock', 'down'] as const
  const defaults = configFromEnv({}).news
  const bus = new KafkaBus(testKafka, silentLogger())
  const metrics = createProducerMetrics(createMetricsRegistry())
  const publisher = new BufferedPublisher({ bus, metrics, log: silentLogger(), maxRecords: 10_000 })
  const timers = manualTimers()
  const producer = await NewsProducer.create({
    news: {
      ...defaults,
      articles: { ...defaults.articles, feeds: { kind: 'only', names: [] } },
      feeds: names.map(name => ({ name, url: urls[name], intervalS: intervalMs / 1000 })),
      ...patient
    },
    dataDir: tempDataDir(),
    publisher,
    metrics,
    log: silentLogger(),
    topic,
    tuning: { timer: timers.timer }
  })
  const polls = (): Record<(typeof names)[number], number> => {
    const requests = feeds.stats().requests
    return {
      theblock: requests[new URL(urls.theblock).pathname.slice(1)] ?? 0,
      down: requests[new URL(urls.down).pathname.slice(1)] ?? 0
    }
  }
  // Per feed, the delay each of its polls scheduled the next one with, in order.
  const delays: Record<(typeof names)[number], number[]> = { theblock: [], down: [] }
  try {
    producer.start()
    assert.equal(timers.pending.length, 2, 'one first poll per feed')
    for (const first of timers.pending)
      assert.ok(first.delayMs < intervalMs, 'first polls spread over an interval')
    for (let fired = 0; fired < 10; fired++) {
      // The oldest timer goes off (the feeds take turns); its poll ends by scheduling that feed's next.
      const due = timers.pending.shift()
      assert.ok(due)
      const before = polls()
      due.fire()
      const next = await waitFor('the poll to schedule the next one', () => timers.pending[1])
      const after = polls()
      const [polled, ...others] = names.filter(name => after[name] > before[name])
      assert.ok(polled !== undefined && others.length === 0, 'one feed polled per timer')
      delays[polled].push(next.delayMs)
    }
    // Healthy: each next poll one interval later, give or take the ±10 % that keeps feeds apart.
    assert.equal(delays.theblock.length, 5)
    for (const delay of delays.theblock)
      assert.ok(
        delay >= intervalMs * 0.9 && delay <= intervalMs * 1.1,
        `healthy feed polled on its interval (${delay} ms)`
      )
    // Failing: the wait doubles with each failure in a row (2, 4, 8, 16, 32 intervals, ±10 %).
    assert.equal(delays.down.length, 5)
    delays.down.forEach((delay, i) => {
      const backoff = intervalMs * 2 ** (i + 1)
      assert.ok(
        delay >= backoff * 0.9 && delay <= backoff * 1.1,
        `failing feed backs off: ${delay} ms after failure ${i + 1}, about ${backoff} ms expected`
      )
    })
    assert.equal(producer.status().find(s => s.name === 'down')?.consecutiveFailures, 5)
  } finally {
    await producer.stop()
    await publisher.close(10_000)
    await producer.close()
    await bus.close()
    await feeds.close()
  }
})
