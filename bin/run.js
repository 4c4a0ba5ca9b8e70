#!/usr/bin/env node
// `node bin/run.js <script.ts> [args]` or `node bin/run.js --node-flag … [args]`: what every npm
// script runs, so that on a Node too old for the project the user gets one line saying what to do
// (or the project's own Node from .cache/node, used by itself) instead of a stack trace.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureSupportedNode } from './supported-node.js'

const args = process.argv.slice(2)
await ensureSupportedNode(args)
if (args.length === 0 || args[0].startsWith('-')) {
  // Node flags (`--test …`) need a process of their own.
  const child = spawn(process.execPath, args, { stdio: 'inherit' })
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  process.on('SIGINT', () => undefined)
  child.on('exit', (code, signal) => process.exit(signal === null ? (code ?? 1) : 1))
} else {
  // In this process, as `node <script.ts> [args]` would run it.
  const script = resolve(args[0])
  process.argv.splice(1, 2, script)
  await import(pathToFileURL(script).href)
}
