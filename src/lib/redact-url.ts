/** A connection URL fit for a terminal or a log: the password replaced by ****; other text unchanged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '****'
    return parsed.toString()
  } catch {
    return url
  }
}
