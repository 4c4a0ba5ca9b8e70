#!/usr/bin/env node
// Runs the TypeScript entry point directly (Node strips types natively; no build step),
// after the version check that an older Node can still run.
import { ensureSupportedNode } from './supported-node.js'

await ensureSupportedNode([
  import.meta.filename ?? new URL(import.meta.url).pathname,
  ...process.argv.slice(2)
])
await import('../src/cli.ts')
