/** Which cache groups a live event makes stale: new data for a group invalidates every entry of it. */
import type { LiveEvent } from '../live-events/live-events.ts'
import { candlesGroup } from './routes/candles.ts'
import { IMPACT_GROUP } from './routes/impact.ts'
import { pressureGroup } from './routes/pressure.ts'
import { SYMBOLS_GROUP } from './routes/symbols.ts'

export function invalidatedGroups(event: LiveEvent): string[] {
  switch (event.channel) {
    case 'tickers':
      return [SYMBOLS_GROUP]
    case 'candles':
      // Candles carry the pressure, so a new candle also makes that interval's pressure stale.
      return event.interval === undefined
        ? []
        : [candlesGroup(event.key, event.interval), pressureGroup(event.interval)]
    case 'indicators':
      return event.interval === undefined ? [] : [candlesGroup(event.key, event.interval)]
    case 'impact':
      return [IMPACT_GROUP]
    default:
      return []
  }
}
