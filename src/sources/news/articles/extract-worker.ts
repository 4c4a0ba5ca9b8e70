/**
 * The extraction worker: decodes and extracts article pages off the producer's event loop, so a
 * large or pathological page never delays the Kraken stream's heartbeats or the feed timers.
 * One message in ({ id, bytes, contentType, url }), one out ({ id, result }).
 */
import { parentPort } from 'node:worker_threads'
import { decodeHtml } from './decode-html.ts'
import { extractMainText } from './extract-text.ts'

export interface ExtractJob {
  id: number
  bytes: Uint8Array
  contentType: string | undefined
  url: string
}

export type ExtractResult = (
  | { ok: true; text: string; title: string | undefined; encoding: string; fallback: string | undefined }
  | { ok: false; problem: string }
) & {
  /** Time spent in the worker on this page (decoding, parsing, extraction), ms. */
  ms?: number
}

export function runJob(job: Omit<ExtractJob, 'id'>): ExtractResult {
  try {
    const decoded = decodeHtml(job.bytes, job.contentType)
    const extracted = extractMainText(decoded.text, job.url)
    if ('problem' in extracted) return { ok: false, problem: extracted.problem }
    return {
      ok: true,
      text: extracted.text,
      title: extracted.title,
      encoding: decoded.encoding,
      fallback: decoded.fallback
    }
  } catch (error) {
    return { ok: false, problem: `extraction failed: ${(error as Error).message}`.slice(0, 300) }
  }
}

parentPort?.on('message', (job: ExtractJob) => {
  const started = performance.now()
  const result = runJob(job)
  parentPort?.postMessage({ id: job.id, result: { ...result, ms: performance.now() - started } })
})
