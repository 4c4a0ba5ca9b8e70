/**
 * PostgreSQL settings that keep PGlite's WebAssembly memory small. That memory only grows (a
 * WebAssembly memory is never given back), so whatever PostgreSQL touches once stays resident for
 * the life of the process: bench/README.md (`bench:memory`) has the measurements behind each value.
 */
import { PGlite } from '@electric-sql/pglite'

const MEMORY_SETTINGS = {
  // PGlite's postgresql.conf says 128MB, all of it touched within minutes of replay. The data folder
  // lives on a real file system, so the operating system caches its pages as well: a small pool costs
  // nothing visible at the embedded mode's load and saves about 110 MiB.
  shared_buffers: '16MB',
  // Index builds in the migrations (and any vacuum) would otherwise touch 64 MB once and keep it.
  maintenance_work_mem: '16MB'
} as const

/** PGlite's own start parameters (single-user mode, no workers) followed by ours. */
export function pgliteStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...Object.entries(MEMORY_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])
  ]
}
