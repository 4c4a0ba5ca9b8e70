/** The Compose files as `docker-compose config` resolves them (offline; no Docker engine needed). */
import { execFileSync } from 'node:child_process'
import { parse } from 'yaml'

export interface ComposeService {
  image?: string
  container_name?: string
  hostname?: string
  ports?: (string | { published: string | number; target: number })[]
  expose?: (string | number)[]
  environment?: Record<string, string | number | null>
  volumes?: (string | { source: string; target: string; type?: string })[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: unknown
  command?: string[]
}
export interface ComposeFile {
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
}

// Debian's docker-compose 1.29 validates and merges the files; CI installs it in .ci/run.
export function resolvedCompose(...files: string[]): ComposeFile {
  const args = files.flatMap(file => ['-f', file])
  let text: string
  try {
    text = execFileSync('docker-compose', [...args, 'config'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
  } catch (error) {
    throw new Error(
      `docker-compose config rejected ${files.join(' + ')} (or is missing: apt-get install docker-compose)`,
      { cause: error }
    )
  }
  return parse(text) as ComposeFile
}

export function portsOf(service: ComposeService | undefined): string[] {
  return (service?.ports ?? []).map(p => (typeof p === 'string' ? p : `${p.published}:${p.target}`))
}
