/** The bus contract against the real broker the test run uses (scripts/infra.sh), unique topics per test. */
import type { Bus } from '../../src/bus/bus.ts'
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.ts'
import { silentLogger } from '../../src/log/logger.ts'
import { createTopics, testKafka } from '../helpers/kafka.ts'
import { busContract } from './contract.ts'

busContract({
  name: 'Kafka',
  fixture: async () => {
    const buses: Bus[] = []
    return {
      topics: (partitions, ...prefixes) => createTopics(partitions, ...prefixes),
      open: async () => {
        const bus = new KafkaBus(testKafka, silentLogger())
        buses.push(bus)
        return bus
      },
      dispose: async () => {
        await Promise.all(buses.map(bus => bus.close()))
      }
    }
  }
})
