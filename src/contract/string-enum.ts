import { Type } from '@sinclair/typebox'

/**
 * A string enum as a plain JSON-schema `enum` (clearer errors and docs than a union of literals),
 * typed as the union of its values.
 */
export function StringEnum<const T extends string>(
  values: readonly T[],
  options: { description?: string; default?: T }
) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options })
}
