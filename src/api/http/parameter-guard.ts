/**
 * The checks every request parameter gets before its schema sees it, in one place: no control
 * characters in any value (PostgreSQL's text cannot hold NUL, and no value of this API contains
 * one), and numbers written as plain decimal numbers. Schema coercion alone would turn "Infinity"
 * or "1e400" into a number the database then refuses.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { badRequest } from '../errors.ts'

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const INTEGER = /^[+-]?\d{1,15}$/
const NUMBER = /^[+-]?\d{1,15}(\.\d{1,15})?$/

type Part = 'querystring' | 'params'
type PropertySchemas = Record<string, { type?: string; description?: string }>

function check(request: FastifyRequest, part: Part): void {
  const values = (part === 'querystring' ? request.query : request.params) as Record<string, unknown> | null
  const schemas = (request.routeOptions.schema?.[part] as { properties?: PropertySchemas } | undefined)
    ?.properties
  for (const [name, raw] of Object.entries(values ?? {})) {
    for (const value of [raw].flat()) {
      if (typeof value !== 'string') continue
      const expected = schemas?.[name]?.description ?? 'a value without control characters'
      if (CONTROL.test(value))
        throw badRequest(
          name,
          expected,
          `parameter "${name}" holds a control character (such as NUL): expected ${expected}`
        )
      const type = schemas?.[name]?.type
      const shape = type === 'integer' ? INTEGER : type === 'number' ? NUMBER : undefined
      if (shape !== undefined && !shape.test(value))
        throw badRequest(
          name,
          expected,
          `parameter "${name}" is not a plain ${type} (got ${JSON.stringify(value)}): expected ${expected}`
        )
    }
  }
}

export function installParameterGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async request => {
    check(request, 'params')
    check(request, 'querystring')
  })
}
