/** The WHERE/ORDER/LIMIT tail of lists read newest first with a (time, id) keyset cursor. */
import type { Before, Params, TimeRange } from './params.ts'

export function newestFirst(
  params: Params,
  columns: { time: string; id: string; idCast?: string },
  query: TimeRange & { before?: Before | undefined; limit: number }
): { where: string; tail: string } {
  const conditions: string[] = []
  if (query.from !== undefined) conditions.push(`${columns.time} >= ${params.add(query.from, 'timestamptz')}`)
  if (query.to !== undefined) conditions.push(`${columns.time} < ${params.add(query.to, 'timestamptz')}`)
  if (query.before !== undefined) {
    const time = params.add(query.before.time, 'timestamptz')
    const id = params.add(query.before.id, columns.idCast)
    conditions.push(`(${columns.time}, ${columns.id}) < (${time}, ${id})`)
  }
  return {
    where: conditions.map(c => ` and ${c}`).join(''),
    tail: `order by ${columns.time} desc, ${columns.id} desc limit ${params.add(query.limit + 1)}`
  }
}
