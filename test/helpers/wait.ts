/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * The ceiling is generous on purpose: a wait returns as soon as its condition holds, so a long
 * ceiling costs a passing test nothing, and the suite must also pass on a machine whose cores are
 * both busy (.ci/run runs it again that way).
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  intervalMs = 50
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}
