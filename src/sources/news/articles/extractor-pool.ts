/**
 * Runs page extraction in a worker thread, one page at a time per worker, each within a time limit:
 * a page that makes the extractor run away gets its worker terminated (and replaced on the next
 * page) and is reported as an extraction failure. Pages wait in a bounded queue.
 */
import { Worker } from 'node:worker_threads'
import { PageProblem } from './page-problem.ts'
import type { ExtractJob, ExtractResult } from './extract-worker.ts'

export interface ExtractorPoolOptions {
  /** Longest one page may take (default 15 s). */
  timeoutMs?: number
  /** Pages waiting beyond this are refused (default 200). */
  maxQueue?: number
}

interface Pending {
  job: ExtractJob
  timeoutMs: number
  resolve: (result: ExtractResult) => void
  reject: (error: unknown) => void
}

const WORKER_URL = new URL('./extract-worker.ts', import.meta.url)

export class ExtractorPool {
  readonly #timeoutMs: number
  readonly #maxQueue: number
  readonly #queue: Pending[] = []
  #worker: Worker | undefined
  #current: { pending: Pending; timer: NodeJS.Timeout } | undefined
  #nextId = 1
  #closed = false

  constructor(options: ExtractorPoolOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 15_000
    this.#maxQueue = options.maxQueue ?? 200
  }

  /** Extracts one page; `timeoutMs` (default the pool's) bounds this page's time in the worker. */
  extract(
    bytes: Uint8Array,
    contentType: string | undefined,
    url: string,
    timeoutMs = this.#timeoutMs
  ): Promise<ExtractResult> {
    if (this.#closed) return Promise.reject(new PageProblem('shutdown', 'extractor closed'))
    if (this.#queue.length >= this.#maxQueue)
      return Promise.reject(new PageProblem('budget', `${this.#maxQueue} pages already wait for extraction`))
    return new Promise<ExtractResult>((resolve, reject) => {
      this.#queue.push({ job: { id: this.#nextId++, bytes, contentType, url }, timeoutMs, resolve, reject })
      this.#pump()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const pending of this.#queue.splice(0))
      pending.reject(new PageProblem('shutdown', 'extractor closed'))
    this.#finish(new PageProblem('shutdown', 'extractor closed'))
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
  }

  #spawn(): Worker {
    const worker = new Worker(WORKER_URL)
    worker.unref()
    worker.on('message', (message: { id: number; result: ExtractResult }) => {
      const current = this.#current
      if (current === undefined || current.pending.job.id !== message.id) return
      clearTimeout(current.timer)
      this.#current = undefined
      current.pending.resolve(message.result)
      this.#pump()
    })
    worker.on('error', error => this.#lost(worker, error))
    worker.on('exit', code => this.#lost(worker, new Error(`extraction worker exited with code ${code}`)))
    return worker
  }

  #lost(worker: Worker, error: unknown): void {
    if (this.#worker !== worker) return
    this.#worker = undefined
    this.#finish(new PageProblem('extract_error', 'the extraction worker stopped', { cause: error }))
    this.#pump()
  }

  #finish(error: unknown): void {
    const current = this.#current
    if (current === undefined) return
    clearTimeout(current.timer)
    this.#current = undefined
    current.pending.reject(error)
  }

  #pump(): void {
    if (this.#closed || this.#current !== undefined) return
    const pending = this.#queue.shift()
    if (pending === undefined) return
    this.#worker ??= this.#spawn()
    const worker = this.#worker
    const timer = setTimeout(() => {
      // A runaway page: the worker is the only thing that can be stopped mid-computation.
      this.#worker = undefined
      this.#finish(new PageProblem('extract_error', `extraction took longer than ${pending.timeoutMs} ms`))
      void worker.terminate()
      this.#pump()
    }, pending.timeoutMs)
    this.#current = { pending, timer }
    worker.postMessage(pending.job)
  }
}
