/** One environment variable: how it is parsed, its default and its documentation line. */
import type { Parser } from './parsers.ts'

export interface Variable<T> {
  readonly parser: Parser<T>
  /** Raw default, parsed like user input so that defaults are validated too. */
  readonly default: string
  readonly doc: string
}

export function variable<T>(parser: Parser<T>, defaultValue: string, doc: string): Variable<T> {
  return { parser, default: defaultValue, doc }
}
