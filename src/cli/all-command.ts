/**
 * `crypto-viz all` — what `npm start` runs: every role in one process (ingest and analytics first so
 * they consume from the start, then the API and dashboard, then the producers; stopped in reverse,
 * so the producers drain into the bus before the jobs finish their last batches). The adapters come
 * from runtime/mode.ts: embedded unless KAFKA_SERVERS, DATABASE_URL or REDIS_URL say otherwise.
 *
 * The terminal gets a short narrative and one status line (console/); JSON logs go to
 * DATA_DIR/logs/crypto-viz.log, or to stderr with LOG_LEVEL set or --verbose.
 */
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { apiRole } from '../api/api-role.ts'
import { TopicNames } from '../schemas/topics.ts'
import { analyticsRole } from '../jobs/analytics/analytics-role.ts'
import { ingestRole } from '../jobs/ingest/ingest-role.ts'
import { assertPortFree } from '../ops/port-in-use.ts'
import { lockInstance } from '../runtime/instance-lock.ts'
import { describeMode, ownsDataDir, resolveMode } from '../runtime/mode.ts'
import { runRoles } from '../runtime/run-roles.ts'
import type { RuntimeEvent } from '../runtime/runtime-events.ts'
import { startReplay } from '../runtime/replay-sources.ts'
import { produceRole } from '../sources/produce-role.ts'
import type { Command, CommandContext } from './command.ts'
import { allLogger, logFilePath, wantsJsonLogs } from './console/log-setup.ts'
import { Narrative } from './console/narrative.ts'
import { type StatusLoop, startStatusLoop } from './console/status-loop.ts'
import { Terminal } from './console/terminal.ts'
import { replayFlags, withReplayFlags } from './source-flags.ts'

const dashboardIndex = fileURLToPath(new URL('../web/dist/index.html', import.meta.url))

export const sampledTopics = [
  { topic: TopicNames.trade, label: 'trades' },
  { topic: TopicNames.ticker, label: 'tickers' },
  { topic: TopicNames.article, label: 'articles' },
  { topic: TopicNames.alert, label: 'alerts' },
  { topic: TopicNames.book, label: 'books', optional: true },
  { topic: TopicNames.ohlc, label: 'ohlc', optional: true },
  { topic: TopicNames.deadLetter, label: 'dead letters', optional: true }
] as const

// "embedded mode", "full stack mode", or the mix as it is ("Kafka + PGlite + memory cache").
const modeLabel = (name: string): string => (name.includes('+') ? name : `${name} mode`)

function shortPath(path: string): string {
  const short = relative(process.cwd(), path)
  return short !== '' && !short.startsWith('..') ? short : path
}

export function createAllCommand(): Command {
  let terminal: Terminal | undefined
  const verbose = (flags: CommandContext['flags']): boolean => flags.verbose === true
  return {
    name: 'all',
    summary:
      'run every role in one process (npm start): embedded bus, database and cache unless KAFKA_SERVERS, DATABASE_URL, REDIS_URL are set',
    usage: 'crypto-viz all [--replay] [--speed N] [--market synthetic|recorded] [--verbose]',
    options: { ...replayFlags, verbose: { type: 'boolean', default: false } },
    createLog(config, flags) {
      const json = wantsJsonLogs(config, verbose(flags))
      terminal = Terminal.for(process.stdout, { inPlace: !json })
      return allLogger(config, terminal, verbose(flags))
    },
    async run(context) {
      const config = withReplayFlags(context.config, context.flags)
      const t = terminal ?? Terminal.for(process.stdout)
      const mode = resolveMode(config)
      const replay = config.sources.mode === 'replay'
      t.text(
        `${t.paint('1', 'CRYPTO VIZ')} · ${modeLabel(describeMode(mode))} · ${replay ? 'replayed input' : 'live input'} · data in ${shortPath(config.dataDir)}`
      )
      if (!wantsJsonLogs(config, verbose(context.flags)))
        t.line('info', `full logs: ${shortPath(logFilePath(config))} (--verbose shows them here)`)
      const lock = ownsDataDir(mode) ? await lockInstance(config.dataDir) : undefined
      await assertPortFree({ host: config.api.host, port: config.api.port, variable: 'API_PORT' }).catch(
        async (error: unknown) => {
          await lock?.release()
          throw error
        }
      )
      const narrative = new Narrative(t, { replay, krakenUrl: config.kraken.wsUrl })
      let status: StatusLoop | undefined
      const onEvent = (event: RuntimeEvent): void => {
        narrative.onEvent(event)
        if (event.type === 'running') {
          status = startStatusLoop({
            terminal: t,
            inspector: event.bus.inspector,
            health: event.health,
            topics: sampledTopics,
            groups: [config.ingest.groupId, config.analytics.groupId],
            onSources: sources => narrative.onSources(sources),
            onHistory: history => narrative.onHistory(history),
            log: context.log
          })
        }
        if (event.type === 'stopping') status?.stop()
      }
      const onListening = (url: string): void => {
        if (existsSync(dashboardIndex))
          t.line('ok', `dashboard: ${t.paint('1;4', url)}  (API docs: ${url}api/docs)`)
        else
          t.line(
            'ok',
            `API: ${url}api  (docs: ${url}api/docs; the dashboard is not built: npm run build:web)`
          )
      }
      context.signal.addEventListener(
        'abort',
        () => t.line('info', 'Ctrl-C again forces an immediate exit'),
        {
          once: true
        }
      )
      try {
        const code = await runRoles(
          { ...context, config },
          [
            ingestRole,
            analyticsRole,
            apiRole({ cache: mode.cache, onListening }),
            produceRole({ replay: startReplay })
          ],
          { mode, onEvent }
        )
        status?.stop()
        t.clearStatus()
        if (code === 0)
          t.line(
            'ok',
            `stopped; data kept in ${shortPath(config.dataDir)} (delete that folder to start from scratch)`
          )
        else t.line('error', `stopped after an error (see above, and ${shortPath(logFilePath(config))})`)
        return code
      } finally {
        status?.stop()
        t.clearStatus()
        await lock?.release()
      }
    }
  }
}

export const allCommand: Command = createAllCommand()
