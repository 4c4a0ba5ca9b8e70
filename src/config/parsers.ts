/**
 * Parsers for environment variables. Each knows how to read one raw string and says, in words a
 * user understands, what it expects; config.ts uses that text in its start-up error.
 */
export interface Parser<T> {
  readonly expects: string
  /** Returns the value, or throws an Error whose message completes "expected …, got …". */
  parse(raw: string): T
}

function fail(expects: string, raw: string): never {
  throw new Error(`expected ${expects}, got ${JSON.stringify(raw)}`)
}

export function integer(min: number, max: number): Parser<number> {
  const expects = `an integer from ${min} to ${max}`
  return {
    expects,
    parse(raw) {
      if (!/^-?\d+$/.test(raw.trim())) fail(expects, raw)
      const value = Number(raw.trim())
      if (!Number.isSafeInteger(value) || value < min || value > max) fail(expects, raw)
      return value
    }
  }
}

/** `auto` (the caller decides from the machine) or an integer in [min, max]. */
export function integerOrAuto(min: number, max: number): Parser<number | 'auto'> {
  const whole = integer(min, max)
  const expects = `auto, or ${whole.expects}`
  return {
    expects,
    parse(raw) {
      if (raw.trim() === 'auto') return 'auto'
      const value = Number(raw.trim())
      // The whole message names both forms, whichever one the value missed.
      if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) fail(expects, raw)
      return whole.parse(raw)
    }
  }
}

/** A decimal number (not necessarily whole), e.g. thresholds such as 2.5. */
export function number(min: number, max: number): Parser<number> {
  const expects = `a number from ${min} to ${max}`
  return {
    expects,
    parse(raw) {
      if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) fail(expects, raw)
      const value = Number(raw.trim())
      if (!Number.isFinite(value) || value < min || value > max) fail(expects, raw)
      return value
    }
  }
}

export function text(pattern?: RegExp, description = 'a non-empty string'): Parser<string> {
  return {
    expects: description,
    parse(raw) {
      const value = raw.trim()
      if (value === '' || (pattern !== undefined && !pattern.test(value))) fail(description, raw)
      return value
    }
  }
}

/** Text that may be left empty (then ''); when set, it must match the pattern. */
export function optionalText(pattern: RegExp, description: string): Parser<string> {
  return {
    expects: description,
    parse(raw) {
      const value = raw.trim()
      if (value !== '' && !pattern.test(value)) fail(description, raw)
      return value
    }
  }
}

/** A secret that may be left empty (the program then makes its own); when set, 16 to 512 characters. */
export function optionalSecret(): Parser<string> {
  const expects = 'empty, or a secret of 16 to 512 characters'
  return {
    expects,
    parse(raw) {
      const value = raw.trim()
      if (value !== '' && (value.length < 16 || value.length > 512)) fail(expects, '(hidden)')
      return value
    }
  }
}

export function oneOf<const T extends string>(...choices: readonly T[]): Parser<T> {
  const expects = `one of ${choices.join(', ')}`
  return {
    expects,
    parse(raw) {
      const value = raw.trim().toLowerCase()
      const match = choices.find(choice => choice === value)
      if (match === undefined) fail(expects, raw)
      return match
    }
  }
}

export function boolean(): Parser<boolean> {
  const expects = 'true or false (also 1/0, yes/no)'
  return {
    expects,
    parse(raw) {
      const value = raw.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(value)) return true
      if (['false', '0', 'no', 'off'].includes(value)) return false
      return fail(expects, raw)
    }
  }
}

export function url(protocols: readonly string[]): Parser<string> {
  const expects = `a URL starting with ${protocols.map(p => `${p}//`).join(' or ')}`
  return {
    expects,
    parse(raw) {
      let parsed: URL
      try {
        parsed = new URL(raw.trim())
      } catch {
        return fail(expects, raw)
      }
      if (!protocols.includes(parsed.protocol) || parsed.host === '') fail(expects, raw)
      return raw.trim()
    }
  }
}

export function hostPort(): Parser<string> {
  const expects = 'host:port (port 1-65535)'
  return {
    expects,
    parse(raw) {
      const match = /^([A-Za-z0-9._-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(raw.trim())
      const port = Number(match?.[2])
      if (match === null || port < 1 || port > 65535) fail(expects, raw)
      return raw.trim()
    }
  }
}

/** A comma-separated list of at least one item, each read by `item`. */
export function list<T>(item: Parser<T>): Parser<T[]> {
  const expects = `a comma-separated list of ${item.expects}`
  return {
    expects,
    parse(raw) {
      const parts = raw
        .split(',')
        .map(part => part.trim())
        .filter(part => part !== '')
      if (parts.length === 0) fail(expects, raw)
      return parts.map(part => {
        try {
          return item.parse(part)
        } catch (error) {
          throw new Error(`in item ${JSON.stringify(part)}: ${(error as Error).message}`, { cause: error })
        }
      })
    }
  }
}

/**
 * CORS origins: empty (no cross-origin access), `*` (any origin), or a comma-separated list of
 * origins such as `https://dash.example.com,http://localhost:5173`.
 */
export function originList(): Parser<string[]> {
  const expects = 'empty, * or a comma-separated list of origins like https://host[:port]'
  return {
    expects,
    parse(raw) {
      const value = raw.trim()
      if (value === '') return []
      if (value === '*') return ['*']
      return value
        .split(',')
        .map(part => part.trim())
        .filter(part => part !== '')
        .map(part => {
          let parsed: URL
          try {
            parsed = new URL(part)
          } catch {
            return fail(expects, raw)
          }
          if (!['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== part.replace(/\/$/, ''))
            fail(expects, raw)
          return parsed.origin
        })
    }
  }
}

export function decimal(min: number, max: number): Parser<number> {
  const expects = `a number from ${min} to ${max}`
  return {
    expects,
    parse(raw) {
      if (!/^\d+(\.\d+)?$/.test(raw.trim())) fail(expects, raw)
      const value = Number(raw.trim())
      if (value < min || value > max) fail(expects, raw)
      return value
    }
  }
}

/** One of a fixed set of integers (e.g. the book depths Kraken offers). */
export function integerOneOf<const T extends number>(...choices: readonly T[]): Parser<T> {
  const expects = `one of ${choices.join(', ')}`
  return {
    expects,
    parse(raw) {
      const match = choices.find(choice => String(choice) === raw.trim())
      if (match === undefined) fail(expects, raw)
      return match
    }
  }
}

/** Like `list`, but repeated items (same `key`) are an error: a duplicate usually hides a typo. */
export function uniqueList<T>(item: Parser<T>, key: (value: T) => unknown = value => value): Parser<T[]> {
  const inner = list(item)
  return {
    expects: `${inner.expects}, without repeats`,
    parse(raw) {
      const values = inner.parse(raw)
      const keys = values.map(key)
      const repeated = keys.find((value, index) => keys.indexOf(value) !== index)
      if (repeated !== undefined) throw new Error(`${JSON.stringify(repeated)} is listed twice`)
      return values
    }
  }
}
