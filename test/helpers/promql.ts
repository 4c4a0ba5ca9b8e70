/**
 * PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql, the parser behind the
 * Prometheus UI's editor): the syntax errors an expression has, and the metric names it selects.
 * Grafana shows a broken query only as an empty panel, so the dashboards' queries are checked here.
 */
import { parser } from '@prometheus-io/lezer-promql'

export interface ParsedPromql {
  /** The metric of every vector selector (`rate(x_total[5m])` → `x_total`), in order, once each. */
  metrics: string[]
  /** Each syntax error, with the text around it. */
  errors: string[]
}

export function parsePromql(expr: string): ParsedPromql {
  const metrics = new Set<string>()
  const errors: string[] = []
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(
          `syntax error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`
        )
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.add(expr.slice(node.from, node.to))
    }
  })
  return { metrics: [...metrics], errors }
}
