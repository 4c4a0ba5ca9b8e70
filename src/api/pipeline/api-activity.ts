/**
 * The API stage's own activity, for its heartbeat and so for the pipeline view: the HTTP requests
 * it answered and the live events it pushed on (every stored event it heard from the writers;
 * the heartbeats on the `pipeline` channel are the status, not the API's work). Registered as the
 * non-critical check `api-activity`, whose data follows the pipeline status's convention
 * (`recordsHandled`, `lastEventAt`, `throughputPerSec`).
 */
import type { Server } from 'node:http'
import type { LiveEvents } from '../../live-events/live-events.ts'
import type { Health } from '../../ops/health.ts'
import { ActivityMeter } from '../../role/activity-meter.ts'

export const API_ACTIVITY_CHECK = 'api-activity'

export async function trackApiActivity(options: {
  server: Server
  live: LiveEvents
  health: Health
}): Promise<{ stop(): Promise<void> }> {
  const meter = new ActivityMeter()
  let requests = 0
  let events = 0
  const onRequest = (_request: unknown, response: { once(event: 'finish', listener: () => void): void }) =>
    response.once('finish', () => {
      requests++
      meter.record()
    })
  options.server.on('request', onRequest)
  const subscription = await options.live.subscribe(event => {
    if (event.channel === 'pipeline') return
    events++
    meter.record()
  })
  options.health.register(
    API_ACTIVITY_CHECK,
    () => ({
      status: 'up',
      detail: `${requests} request(s) answered, ${events} live event(s) pushed`,
      data: { ...meter.report(), requests, liveEvents: events }
    }),
    { critical: false }
  )
  return {
    async stop() {
      options.server.off('request', onRequest)
      options.health.unregister(API_ACTIVITY_CHECK)
      await subscription.close()
    }
  }
}
