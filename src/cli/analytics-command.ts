/** `crypto-viz analytics`: run the analytics role (candles, indicators, sentiment, alerts) until stopped. */
import { analyticsRole } from '../jobs/analytics/analytics-role.ts'
import { runRoles } from '../runtime/run-roles.ts'
import type { Command } from './command.ts'

export const analyticsCommand: Command = {
  name: 'analytics',
  summary: 'compute candles, indicators, spreads, sentiment and alerts (consumer group ANALYTICS_GROUP_ID)',
  run: context => runRoles(context, [analyticsRole])
}
