/** `crypto-viz api`: run the HTTP API with live push (the `api` role) until SIGINT/SIGTERM. */
import { apiRole } from '../api/api-role.ts'
import { runRoles } from '../runtime/run-roles.ts'
import type { Command } from './command.ts'

export const apiCommand: Command = {
  name: 'api',
  summary:
    'serve the HTTP API, live WebSocket push, OpenAPI docs (/api/docs) and metrics on API_HOST:API_PORT',
  run: context => runRoles(context, [apiRole()])
}
