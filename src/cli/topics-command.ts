/**
 * `crypto-viz topics`: create the declared topics (idempotently) and report what the broker holds;
 * `--grow-partitions` and `--fix-min-insync` bring existing topics to their declaration.
 */
import { kafkaConnection } from '../bus/kafka/kafka-options.ts'
import { type TopicReport, ensureTopics } from '../bus/kafka/topic-admin.ts'
import { declaredTopics } from '../schemas/topics.ts'
import { CryptoVizError, ErrorCodes } from '../errors/errors.ts'
import type { Command } from './command.ts'

function table(reports: TopicReport[]): string[] {
  const header = ['topic', 'outcome', 'partitions', 'replication', 'min.insync', 'leaders']
  const rows = reports.map(r => [
    r.name,
    r.outcome,
    r.partitions === r.declaredPartitions
      ? String(r.partitions)
      : `${r.partitions} (declared ${r.declaredPartitions})`,
    r.replicationFactor === r.declaredReplicationFactor
      ? String(r.replicationFactor)
      : `${r.replicationFactor} (declared ${r.declaredReplicationFactor})`,
    r.minInsyncReplicas === r.declaredMinInsyncReplicas
      ? String(r.minInsyncReplicas)
      : `${r.minInsyncReplicas ?? '?'} (declared ${r.declaredMinInsyncReplicas})`,
    r.leaders.map((leader, partition) => `${partition}→${leader}`).join(' ')
  ])
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map(row => (row[i] ?? '').length)))
  return [header, ...rows].map(row =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  )
}

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'create the Kafka topics declared in src/schemas/topics.ts (idempotent) and describe them',
  usage: 'crypto-viz topics [--grow-partitions] [--fix-min-insync] [--json]',
  options: {
    'grow-partitions': { type: 'boolean', default: false },
    'fix-min-insync': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false }
  },
  async run({ config, log, flags, out }) {
    const connection = kafkaConnection(config)
    out(
      `waiting for Kafka at ${connection.servers.join(',')} (up to ${config.kafka.readyTimeoutMs / 1000} s)…`
    )
    const reports = await ensureTopics(connection, declaredTopics(config.topics), {
      readyTimeoutMs: config.kafka.readyTimeoutMs,
      growPartitions: flags['grow-partitions'] === true,
      fixMinInsync: flags['fix-min-insync'] === true,
      log,
      onWait: (attempt, lastError) => out(`  broker not ready (attempt ${attempt}: ${lastError}); retrying…`)
    })
    if (flags.json === true) {
      out(JSON.stringify(reports, null, 2))
    } else {
      for (const line of table(reports)) out(line)
    }
    const mismatches = reports.filter(r => r.outcome === 'mismatch')
    const changed = reports.filter(
      r => r.outcome === 'created' || r.outcome === 'grown' || r.outcome === 'reconfigured'
    )
    if (mismatches.length > 0) {
      throw new CryptoVizError(
        ErrorCodes.TOPIC_MISMATCH,
        `${mismatches.length} topic(s) differ from their declaration:\n` +
          mismatches.map(r => `  ${r.name} ${r.problems.join('; ')}`).join('\n')
      )
    }
    out(
      changed.length === 0
        ? `all ${reports.length} topics already exist as declared; nothing changed`
        : `${changed.length} topic(s) created, grown or reconfigured, ${reports.length - changed.length} already as declared`
    )
    return 0
  }
}
