/**
 * Request parameters, written once as JSON schemas (TypeBox): Fastify validates requests with them
 * and the OpenAPI document shows them. Each `description` says what is expected: the 400 body of a
 * bad value quotes it.
 */
import { type TSchema, Type } from '@sinclair/typebox'
import { StringEnum } from '../../contract/string-enum.ts'
import { Intervals } from '../../contract/vocabulary.ts'

export const SymbolParam = Type.String({
  pattern: '^[A-Z0-9]{1,16}/[A-Z0-9]{1,16}$',
  description: 'a market symbol as BASE/QUOTE in capitals, e.g. BTC/USD',
  examples: ['BTC/USD']
})

export const IntervalParam = StringEnum(Intervals, { description: `one of ${Intervals.join(', ')}` })

export const CoinParam = Type.String({
  pattern: '^[A-Z0-9]{2,12}$',
  description: 'an asset code in capitals, e.g. BTC',
  examples: ['BTC']
})

export const TimeParam = (what: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
    description: `${what}: an RFC 3339 time with a zone, e.g. 2026-11-25T14:00:00Z`
  })

/** The moment figures that keep changing after it are given as of (a history view's moment). */
export const AsOfParam = TimeParam(
  'news moves as known at this moment: a horizon whose window had not ended by then is null and not final (for a view of the past)'
)

export const CursorParam = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,600}\\.[A-Za-z0-9_-]{22}$',
  description: 'the nextCursor of the previous page'
})

export function LimitParam(defaultSize: number, maxSize: number) {
  return Type.Integer({
    minimum: 1,
    maximum: maxSize,
    default: defaultSize,
    description: `page size: an integer from 1 to ${maxSize} (default ${defaultSize})`
  })
}

/** The range and paging parameters every list shares. */
export function pagedRange(pages: { defaultSize: number; maxSize: number }) {
  return {
    from: Type.Optional(TimeParam('start of the range, inclusive')),
    to: Type.Optional(TimeParam('end of the range, exclusive')),
    limit: Type.Optional(LimitParam(pages.defaultSize, pages.maxSize)),
    cursor: Type.Optional(CursorParam)
  }
}

/** Query schemas reject unknown parameters, so a misspelt one is a 400 rather than silently ignored. */
export function Query<P extends Record<string, TSchema>>(properties: P) {
  return Type.Object(properties, { additionalProperties: false })
}
