/**
 * The metric names a PromQL expression reads, without a PromQL parser (promtool is not installed
 * here): label matchers, grouping clauses, strings, ranges and numbers are removed, and what remains
 * as an identifier not followed by `(` (a function or aggregation) and not a keyword is a metric.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset'
])

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
  const names = new Set<string>()
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(?=\s*(\()?)/g)) {
    const [name, call] = match
    if (call !== undefined || KEYWORDS.has(name) || /^(inf|nan)$/i.test(name)) continue
    const before = stripped.slice(0, match.index)
    if (/\d\.?$/.test(before) || /\d[eE]$/.test(before)) continue
    names.add(name)
  }
  return [...names]
}
