import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parse } from 'yaml'
import { portsOf, resolvedCompose } from '../helpers/compose.ts'

interface ScrapeConfig {
  job_name: string
  metrics_path?: string
  static_configs?: { targets: string[] }[]
  dns_sd_configs?: { names: string[]; type: string; port: number }[]
}

function scrapeConfigs(): Map<string, ScrapeConfig> {
  const config = parse(readFileSync('infra/prometheus/prometheus.yml', 'utf8')) as {
    scrape_configs: ScrapeConfig[]
  }
  return new Map(config.scrape_configs.map(c => [c.job_name, c]))
}

/** host:port targets of a job, whether static or discovered by service name. */
function targets(job: ScrapeConfig | undefined): string[] {
  return [
    ...(job?.static_configs ?? []).flatMap(s => s.targets),
    ...(job?.dns_sd_configs ?? []).flatMap(d => d.names.map(name => `${name}:${d.port}`))
  ]
}

test('Prometheus scrapes every role on its ops port, the API included, and the broker through kafka-exporter', () => {
  const compose = resolvedCompose('docker-compose.yml')
  const jobs = scrapeConfigs()
  for (const role of ['producer', 'ingest', 'analytics', 'api']) {
    const service = compose.services[role]
    assert.ok(service, `${role} is a Compose service`)
    assert.equal(String(service.environment?.OPS_HOST), '0.0.0.0', `${role} serves /metrics beyond loopback`)
    assert.deepEqual(targets(jobs.get(role)), [`${role}:${service.environment?.OPS_PORT}`])
    assert.ok((service.expose ?? []).map(String).includes(String(service.environment?.OPS_PORT)))
  }
  assert.equal(jobs.get('api')?.metrics_path, '/metrics')
  assert.notEqual(
    String(compose.services.api?.environment?.API_EXPOSE_OPS),
    'true',
    'the API port keeps /metrics to itself'
  )
  assert.equal(String(compose.services.api?.environment?.API_HOST), '0.0.0.0')
  assert.deepEqual(targets(jobs.get('kafka')), ['kafka-exporter:9308'])
  const exporter = compose.services['kafka-exporter']
  assert.match(exporter?.image ?? '', /^danielqsj\/kafka-exporter:/)
  assert.ok(
    exporter?.command?.includes('--kafka.server=kafka:29092'),
    'the exporter uses the internal listener'
  )
})

test('Compose ships Prometheus on 9090 and Grafana on 3000 with provisioned datasource and dashboards', () => {
  const compose = resolvedCompose('docker-compose.yml')
  const prometheus = compose.services.prometheus
  assert.match(prometheus?.image ?? '', /^prom\/prometheus:/)
  assert.deepEqual(portsOf(prometheus), ['9090:9090'])
  const mounts = (service: typeof prometheus): string[] =>
    (service?.volumes ?? []).map(v => (typeof v === 'string' ? v : `${v.source}:${v.target}`))
  assert.ok(
    mounts(prometheus).some(m =>
      /infra\/prometheus\/prometheus\.yml:\/etc\/prometheus\/prometheus\.yml/.test(m)
    )
  )
  const grafana = compose.services.grafana
  assert.match(grafana?.image ?? '', /^grafana\/grafana:/)
  assert.deepEqual(portsOf(grafana), ['3000:3000'])
  assert.equal(String(grafana?.environment?.GF_AUTH_ANONYMOUS_ENABLED), 'true')
  assert.ok(mounts(grafana).some(m => /infra\/grafana\/provisioning:\/etc\/grafana\/provisioning/.test(m)))
  const dashboardsMount = mounts(grafana).find(m => /infra\/grafana\/dashboards:/.test(m))
  const provider = parse(readFileSync('infra/grafana/provisioning/dashboards/crypto-viz.yml', 'utf8')) as {
    providers: { options: { path: string } }[]
  }
  assert.equal(
    dashboardsMount?.split(':')[1],
    provider.providers[0]?.options.path,
    'the provider reads where the dashboards are mounted'
  )
})
