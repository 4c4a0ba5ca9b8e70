/**
 * One page of a newest-first list (trades, articles, alerts): the time range checked, the cursor
 * read, the rows asked for, and the cursor naming the last row sent (cursor.ts).
 */
import type { Before, Page, TimeRange } from '../store/queries/params.ts'
import type { CursorList } from './cursor.ts'
import { checkRange } from './range.ts'
import type { RouteContext } from './routes/context.ts'

/** The paging part of a list's query string (`pagedRange` in schemas/params.ts). */
export interface PagedRangeQuery extends TimeRange {
  limit?: number | undefined
  cursor?: string | undefined
}

export interface Paging {
  before: Before | undefined
  limit: number
}

export async function newestFirstPage<T>(
  query: PagedRangeQuery,
  context: Pick<RouteContext, 'settings' | 'cursors'> & { list: CursorList },
  list: (paging: Paging) => Promise<Page<T>>,
  positionOf: (row: T) => Before
): Promise<{ items: T[]; nextCursor: string | null }> {
  const { settings, cursors } = context
  checkRange(query, settings.maxRangeDays)
  const before = cursors.decodeBefore(context.list, query.cursor)
  const page = await list({ before, limit: query.limit ?? settings.pageSizeDefault })
  const last = page.items[page.items.length - 1]
  return {
    items: page.items,
    nextCursor: page.hasMore && last !== undefined ? cursors.before(context.list, positionOf(last)) : null
  }
}
