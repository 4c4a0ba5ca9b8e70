import type { DashboardSpec } from '../lib/dashboard-kit.ts'
import { p95, perSecond, lagPerPartition, pipelineTopics } from './queries.ts'

export const kafkaLag: DashboardSpec = {
  uid: 'cryptoviz-kafka',
  title: 'CRYPTO VIZ — Kafka and consumer lag',
  description:
    'Lag per group and partition as the roles read it and as the broker reports it (kafka-exporter), topics, rebalances.',
  rows: [
    [
      { title: 'Brokers', kind: 'stat', queries: [{ expr: 'kafka_brokers' }], redAbove: 1, lowIsBad: true },
      {
        title: 'Under-replicated partitions',
        kind: 'stat',
        queries: [{ expr: 'sum(kafka_topic_partition_under_replicated_partition)' }],
        redAbove: 1
      },
      {
        title: 'Group members',
        kind: 'stat',
        queries: [
          {
            expr: 'sum by (consumergroup) (kafka_consumergroup_members{consumergroup=~"crypto-viz.*"})',
            legend: '{{consumergroup}}'
          }
        ]
      }
    ],
    [
      {
        title: 'Lag per partition (roles)',
        queries: [{ expr: lagPerPartition, legend: '{{group}} {{topic}}/{{partition}}' }]
      },
      {
        title: 'Lag per partition (broker)',
        queries: [
          {
            expr: 'kafka_consumergroup_lag{consumergroup=~"crypto-viz.*"}',
            legend: '{{consumergroup}} {{topic}}/{{partition}}'
          }
        ]
      }
    ],
    [
      {
        title: 'Lag per group (broker)',
        queries: [
          {
            expr: 'sum by (consumergroup) (kafka_consumergroup_lag{consumergroup=~"crypto-viz.*"})',
            legend: '{{consumergroup}}'
          }
        ]
      },
      {
        title: 'Records appended per topic (broker)',
        unit: 'rps',
        stacked: true,
        queries: [
          {
            expr: `sum by (topic) (rate(kafka_topic_partition_current_offset{${pipelineTopics}}[1m]))`,
            legend: '{{topic}}'
          }
        ]
      },
      {
        title: 'Partitions per topic',
        queries: [{ expr: `kafka_topic_partitions{${pipelineTopics}}`, legend: '{{topic}}' }]
      }
    ],
    [
      {
        title: 'Rebalances (5 min)',
        queries: [
          { expr: 'sum by (group) (increase(cryptoviz_bus_rebalances_total[5m]))', legend: '{{group}}' }
        ]
      },
      {
        title: 'Partitions owned per member',
        queries: [{ expr: 'cryptoviz_bus_assigned_partitions', legend: '{{group}} {{instance}}' }]
      },
      {
        title: 'Records per batch (p95)',
        queries: [{ expr: p95('cryptoviz_bus_batch_records', 'group'), legend: '{{group}}' }]
      },
      {
        title: 'Lag readings failed',
        unit: 'ops',
        queries: [{ expr: perSecond('cryptoviz_bus_lag_poll_failures_total', 'group'), legend: '{{group}}' }]
      }
    ]
  ]
}
