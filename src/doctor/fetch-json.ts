/** GET a JSON document with a deadline; rejects on a network error, resolves any HTTP status. */
export async function fetchJsonWithStatus(
  url: string,
  timeoutMs: number
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON: keep the text, the caller says what it expected
  }
  return { status: response.status, body }
}

export async function fetchJson(url: string, timeoutMs: number): Promise<unknown> {
  const { status, body } = await fetchJsonWithStatus(url, timeoutMs)
  if (status >= 400) throw new Error(`HTTP ${status} from ${url}`)
  return body
}
