/**
 * Writing JSON the way Kraken does: numbers with their full lexeme (`0.10000000`, `105944.20`).
 * `JSON.stringify` cannot (it writes 0.1), and the client's book checksum depends on those digits,
 * so the fake server wraps number lexemes in `Lexeme` and writes them verbatim.
 */
export class Lexeme {
  readonly text: string

  constructor(text: string) {
    this.text = text
  }
}

export const lex = (text: string): Lexeme => new Lexeme(text)

export function writeJson(value: unknown): string {
  if (value instanceof Lexeme) return value.text
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const parts: string[] = []
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) parts.push(`${JSON.stringify(key)}:${writeJson(item)}`)
    }
    return `{${parts.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
