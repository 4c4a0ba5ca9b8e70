/**
 * `npm run build:web`: builds the dashboard (src/web → src/web/dist) with Vite and checks its size
 * budget, failing the build when a change makes the page heavier than the budget allows. Then it
 * leaves what the server needs to send the build as it is: a brotli and a gzip copy beside each text
 * file (`.br`, `.gz`, made once here at the highest levels, so no request compresses anything), and
 * the hashes of the inline code the page runs (`inline-hashes.json`) for the Content-Security-Policy
 * (docs/security.md).
 *
 *   node scripts/build-web.ts              build, then check the budget
 *   node scripts/build-web.ts --if-stale   build only when dist is missing or older than a source
 *                                          (what `npm start` and the browser tests run first)
 *
 * Builds are serialised through a lock file, so test files starting at the same time build once.
 * Without Vite (a production install, `npm ci --omit=dev`) an existing build is used as it is.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type * as Vite from 'vite'

const root = resolve(import.meta.dirname, '..')
const web = join(root, 'src/web')
const dist = join(web, 'dist')

/** Gzipped bytes the page may load before the chart is needed (the overview), and in all. */
export const Budget = { entryKiB: 28, totalKiB: 100 }

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** Read by src/api/http/dashboard.ts (not imported: the Docker build stage has only this file). */
const INLINE_HASHES_FILE = 'inline-hashes.json'
/** Smaller files gain nothing from compression (the server's threshold for answers is the same). */
const COMPRESS_FROM_BYTES = 1024
const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|webmanifest)$/

export function isStale(): boolean {
  const index = join(dist, 'index.html')
  if (!existsSync(index) || !existsSync(join(dist, INLINE_HASHES_FILE))) return true
  const inputs = Math.max(newestSource(web), statSync(join(root, 'package-lock.json')).mtimeMs)
  return statSync(index).mtimeMs < inputs
}

function assets(): { file: string; gzip: number; entry: boolean }[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const dir = join(dist, 'assets')
  return readdirSync(dir)
    .filter(file => /\.(js|css)$/.test(file))
    .map(file => ({
      file,
      gzip: gzipSync(readFileSync(join(dir, file))).length,
      entry: html.includes(`/assets/${file}`)
    }))
}

export function checkBudget(print = true): string[] {
  const files = assets()
  const kib = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10
  const entry = files.filter(f => f.entry).reduce((sum, f) => sum + f.gzip, 0)
  const total = files.reduce((sum, f) => sum + f.gzip, 0)
  for (const f of print ? files.sort((a, b) => b.gzip - a.gzip) : [])
    process.stdout.write(
      `  ${f.entry ? 'entry ' : 'lazy  '} ${kib(f.gzip).toFixed(1).padStart(6)} KiB gz  ${f.file}\n`
    )
  process.stdout.write(
    `  entry ${kib(entry)} KiB of ${Budget.entryKiB}, total ${kib(total)} KiB of ${Budget.totalKiB} (gzip)\n`
  )
  const problems: string[] = []
  if (entry > Budget.entryKiB * 1024)
    problems.push(`the entry is ${kib(entry)} KiB gzipped, over its ${Budget.entryKiB} KiB budget`)
  if (total > Budget.totalKiB * 1024)
    problems.push(`the dashboard is ${kib(total)} KiB gzipped, over its ${Budget.totalKiB} KiB budget`)
  return problems
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]
  )
}

/** Writes `<file>.br` and `<file>.gz` beside each text file of the build, when they are smaller. */
export function precompress(dir = dist): void {
  for (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue
    const bytes = readFileSync(file)
    if (bytes.length < COMPRESS_FROM_BYTES) continue
    const copies = {
      br: brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
        }
      }),
      gz: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION })
    }
    for (const [extension, copy] of Object.entries(copies))
      if (copy.length < bytes.length) writeFileSync(`${file}.${extension}`, copy)
  }
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/**
 * The inline code the built page runs, as CSP hash sources: the inline <script> and <style> of
 * index.html (the theme set before the first paint), and the <style> elements a bundled library
 * writes from a string literal (lightweight-charts' attribution logo). The browser test of the CSP
 * (test/web/content-security-policy.test.ts) fails if a library starts injecting code this misses.
 */
export function inlineHashes(dir = dist): { scripts: string[]; styles: string[] } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(m => m[1] ?? '')
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map(m => m[1] ?? '')
  const injected =
    /createElement\((["'`])style\1\)\s*,\s*[\w$.]+\.(?:innerText|textContent)\s*=\s*(["'`])([^"'`\\$]*)\2/g
  for (const file of readdirSync(join(dir, 'assets')).filter(f => f.endsWith('.js')))
    for (const m of readFileSync(join(dir, 'assets', file), 'utf8').matchAll(injected))
      styles.push(m[3] ?? '')
  return { scripts: [...new Set(scripts.map(sha256))], styles: [...new Set(styles.map(sha256))] }
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(
    tmpdir(),
    `crypto-viz-web-build-${Buffer.from(root).toString('base64url').slice(-24)}.lock`
  )
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another build holds it; a lock older than 5 minutes is left over from a killed build.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true })
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
  try {
    return await work()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const ifStale = process.argv.includes('--if-stale')
  let vite: typeof Vite
  try {
    createRequire(import.meta.url).resolve('vite')
    vite = await import('vite')
  } catch {
    if (existsSync(join(dist, 'index.html')))
      return void process.stdout.write('dashboard: using the existing build (Vite is not installed)\n')
    process.stderr.write(
      'dashboard: not built and Vite is not installed (npm ci without --omit=dev, then npm run build:web); the API runs without it\n'
    )
    return
  }
  await withLock(async () => {
    if (ifStale && !isStale()) return
    const started = performance.now()
    await vite.build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' })
    precompress()
    writeFileSync(join(dist, INLINE_HASHES_FILE), `${JSON.stringify(inlineHashes(), null, 2)}\n`)
    process.stdout.write(`dashboard: built src/web/dist in ${Math.round(performance.now() - started)} ms\n`)
    const problems = checkBudget()
    if (problems.length > 0) {
      process.stderr.write(`dashboard: size budget exceeded: ${problems.join('; ')}\n`)
      process.exitCode = 1
    }
  })
}

// Run as a script (directly or through bin/run.js), not when a test imports the budget.
if (process.argv[1] === import.meta.filename) await main()
