/**
 * The faults, each a disturbance and its repair, injected while trades flow. `inject` returns once
 * the fault is in place and has lasted a while; `repair` returns once the broken part is back (a
 * restarted service answers, a restarted role is ready). Stops are real: the service's own process
 * is stopped by scripts/infra.sh, a role's process is sent SIGKILL or SIGTERM.
 */
import type { PrivateStack } from './private-stack.ts'
import type { RoleProcess } from './role-process.ts'
import type { SteadyExchange } from './steady-exchange.ts'

export interface Fault {
  name: string
  inject(): Promise<void>
  repair(): Promise<void>
}

const hold = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export interface FaultTargets {
  stack: PrivateStack
  exchange: SteadyExchange
  ingest: RoleProcess
  analytics: RoleProcess
  outageMs: number
}

export function faults(t: FaultTargets): Fault[] {
  const service = (name: string, which: 'kafka' | 'postgres' | 'redis'): Fault => ({
    name,
    async inject() {
      t.stack.infra('stop', which)
      await hold(t.outageMs)
    },
    async repair() {
      t.stack.infra('start', which)
    }
  })
  return [
    service('Kafka stopped and restarted', 'kafka'),
    service('PostgreSQL stopped and restarted', 'postgres'),
    service('Redis stopped and restarted', 'redis'),
    {
      name: 'ingest instance killed (-9) mid-batch',
      async inject() {
        await t.ingest.kill()
        await hold(t.outageMs / 2)
      },
      async repair() {
        t.ingest.start()
        await t.ingest.ready()
      }
    },
    {
      name: 'analytics instance stopped (rebalance)',
      async inject() {
        await t.analytics.stop()
        await hold(t.outageMs / 2)
      },
      async repair() {
        t.analytics.start()
        await t.analytics.ready()
      }
    },
    {
      name: 'exchange connection cut',
      async inject() {
        // Every connection dropped abnormally (1006) and reconnects refused while the market goes on.
        t.exchange.server.faults.drop({ code: 1006, refuseMs: t.outageMs })
        await hold(t.outageMs)
      },
      async repair() {
        t.exchange.server.faults.reset()
      }
    }
  ]
}
