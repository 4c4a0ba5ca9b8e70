/** `crypto-viz config`: print the effective configuration (secrets in URLs masked). */
import { redactUrl } from '../lib/redact-url.ts'
import type { Command } from './command.ts'

function maskSecrets(key: string, value: unknown): unknown {
  if (key === 'cursorKey' && value !== '') return '****'
  if (typeof value !== 'string' || !/^[a-z]+:\/\//.test(value)) return value
  return redactUrl(value)
}

export const configCommand: Command = {
  name: 'config',
  summary: 'validate the configuration and print it (passwords masked)',
  async run({ config, out }) {
    out(JSON.stringify(config, maskSecrets, 2))
    return 0
  }
}
