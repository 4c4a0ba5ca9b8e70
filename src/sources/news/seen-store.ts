/**
 * The articles already published, remembered across feeds and restarts, so that a restart (or the
 * same story in three feeds) republishes nothing. An article is known by three keys: its canonical
 * URL, its guid within its source, and a normalized-title hash (the latter only within a time
 * window: generic titles do repeat). Keys live in memory and in an append-only file in the data
 * directory (one `key<TAB>epochMs` line each), written once the bus acknowledged the article and
 * compacted at start when expired lines dominate.
 */
import { createReadStream } from 'node:fs'
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import type { Logger } from 'pino'
import { describeError } from '../../errors/errors.ts'

export interface ArticleKeys {
  url: string
  guid: string | undefined
  title: string
}

export type DuplicateBy = 'url' | 'guid' | 'title'

export interface SeenStoreOptions {
  retentionMs: number
  /** A title repeats as a duplicate only within this window (default 48 h). */
  titleWindowMs?: number
  log: Logger
}

const keyList = (keys: ArticleKeys): string[] => [
  `u:${keys.url}`,
  ...(keys.guid === undefined ? [] : [`g:${keys.guid}`]),
  `t:${keys.title}`
]

export class SeenStore {
  readonly #path: string
  readonly #options: SeenStoreOptions
  readonly #seen: Map<string, number>
  #pending: string[] = []
  #marks = 0
  #writing: Promise<void> = Promise.resolve()

  private constructor(path: string, seen: Map<string, number>, options: SeenStoreOptions) {
    this.#path = path
    this.#seen = seen
    this.#options = options
  }

  static async open(path: string, options: SeenStoreOptions): Promise<SeenStore> {
    await mkdir(dirname(path), { recursive: true })
    const seen = new Map<string, number>()
    const cutoff = Date.now() - options.retentionMs
    let lines = 0
    try {
      const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
      for await (const line of reader) {
        lines++
        const tab = line.lastIndexOf('\t')
        const at = Number(line.slice(tab + 1))
        if (tab > 0 && at >= cutoff)
          seen.set(line.slice(0, tab), Math.max(at, seen.get(line.slice(0, tab)) ?? 0))
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const store = new SeenStore(path, seen, options)
    if (lines > 1_000 && lines > seen.size * 2) await store.#compact()
    options.log.info({ path, keys: seen.size, linesRead: lines }, 'news seen-set loaded')
    return store
  }

  get size(): number {
    return this.#seen.size
  }

  duplicateBy(keys: ArticleKeys, now: number): DuplicateBy | undefined {
    if (this.#seen.has(`u:${keys.url}`)) return 'url'
    if (keys.guid !== undefined && this.#seen.has(`g:${keys.guid}`)) return 'guid'
    const titleAt = this.#seen.get(`t:${keys.title}`)
    if (titleAt !== undefined && now - titleAt < (this.#options.titleWindowMs ?? 172_800_000)) return 'title'
    return undefined
  }

  /** Marks an article in memory (it is on its way to the bus). */
  mark(keys: ArticleKeys, now: number): void {
    for (const key of keyList(keys)) this.#seen.set(key, now)
    // Expired keys are dropped now and then, so a process that runs for months stays bounded.
    if (++this.#marks % 5_000 === 0) {
      const cutoff = now - this.#options.retentionMs
      for (const [key, at] of this.#seen) if (at < cutoff) this.#seen.delete(key)
    }
  }

  /** Forgets an article the bus dropped, so the next poll offers it again. */
  unmark(keys: ArticleKeys): void {
    for (const key of keyList(keys)) this.#seen.delete(key)
  }

  /** Writes an acknowledged article's keys to the file (batched). */
  persist(keys: ArticleKeys, now: number): void {
    for (const key of keyList(keys)) this.#pending.push(`${key}\t${now}\n`)
    if (this.#pending.length === keyList(keys).length) this.#writing = this.#writing.then(() => this.#write())
  }

  async flush(): Promise<void> {
    await this.#writing
    if (this.#pending.length > 0) await this.#write()
  }

  async #write(): Promise<void> {
    const lines = this.#pending
    this.#pending = []
    if (lines.length === 0) return
    try {
      await appendFile(this.#path, lines.join(''))
    } catch (error) {
      this.#options.log.error(
        { err: describeError(error), path: this.#path },
        'could not persist the news seen-set'
      )
    }
  }

  async #compact(): Promise<void> {
    const temp = `${this.#path}.tmp`
    await writeFile(temp, [...this.#seen].map(([key, at]) => `${key}\t${at}\n`).join(''))
    await rename(temp, this.#path)
  }
}
