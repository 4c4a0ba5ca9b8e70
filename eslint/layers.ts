// The layering of src/ (docs/architecture.md), as data, and the ESLint rule that holds every import
// to it. Each top folder of src/ lists the folders it may import; a folder may always import its own
// files. The table is checked to be acyclic when the rule loads, so no cycle between folders can be
// built one allowed import at a time.
import path from 'node:path'
import type { Rule } from 'eslint'

const kernel = ['errors', 'lib', 'contract', 'config', 'log', 'schemas', 'ops']
const ports = ['bus', 'store', 'cache', 'live-events']
const stages = ['sources', 'jobs', 'api']

/** The layers from the bottom up, with the one-line rule each keeps (docs/architecture.md shows them). */
export const layers = [
  { name: 'kernel', folders: kernel, rule: 'imports nothing of ours outside the kernel' },
  {
    name: 'ports and adapters',
    folders: [...ports, 'role'],
    rule: 'import the kernel (role: and the ports)'
  },
  {
    name: 'stages',
    folders: [...stages, 'web'],
    rule: 'import the kernel, the ports and role, never another stage'
  },
  { name: 'fakes', folders: ['sim'], rule: 'import the kernel; only composition and tests import them' },
  { name: 'composition', folders: ['runtime', 'doctor', 'cli', '(root)'], rule: 'wire everything below' }
]

/**
 * What a folder may import: a folder, a file (`contract/vocabulary.ts`), or `{ folder, typeOnly }`
 * for type-only imports (erased before the code runs, so nothing of that folder is bundled).
 */
export type Allowed = string | { folder: string; typeOnly: boolean }

/** Folder → what it may import. */
export const allowedImports: Readonly<Record<string, readonly Allowed[]>> = {
  errors: [],
  lib: ['errors'],
  contract: [],
  config: ['errors', 'lib'],
  log: ['errors', 'lib', 'config'],
  schemas: ['errors', 'lib', 'config', 'contract'],
  ops: ['errors', 'lib', 'config', 'log'],
  bus: kernel,
  store: kernel,
  cache: kernel,
  'live-events': kernel,
  role: [...kernel, ...ports],
  sources: [...kernel, ...ports, 'role'],
  jobs: [...kernel, ...ports, 'role'],
  api: [...kernel, ...ports, 'role'],
  // The browser bundle: the shared vocabularies and the backoff as values, the API's contract as types.
  web: ['contract/vocabulary.ts', 'lib/backoff.ts', { folder: 'contract', typeOnly: true }],
  sim: kernel,
  runtime: [...kernel, ...ports, 'role', ...stages, 'sim'],
  doctor: [...kernel, ...ports],
  cli: [...kernel, ...ports, 'role', ...stages, 'sim', 'runtime', 'doctor'],
  '(root)': [...kernel, 'cli']
}

/** The folders of a cycle in the table, or undefined when it has none. */
export function findCycle(table: Readonly<Record<string, readonly Allowed[]>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  const visit = (folder: string, trail: string[]): string[] | undefined => {
    if (state.get(folder) === 'done') return undefined
    if (state.get(folder) === 'open') return [...trail.slice(trail.indexOf(folder)), folder]
    state.set(folder, 'open')
    for (const entry of table[folder] ?? []) {
      const target = typeof entry === 'string' ? (entry.split('/')[0] ?? entry) : entry.folder
      const cycle = visit(target, [...trail, folder])
      if (cycle !== undefined) return cycle
    }
    state.set(folder, 'done')
    return undefined
  }
  for (const folder of Object.keys(table)) {
    const cycle = visit(folder, [])
    if (cycle !== undefined) return cycle
  }
  return undefined
}

/** `src/<folder>/…` → folder; a file directly in src/ → '(root)'; outside src/ → undefined. */
function folderOf(file: string, srcDir: string): string | undefined {
  const relative = path.relative(srcDir, file)
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined
  const parts = relative.split(path.sep)
  return parts.length === 1 ? '(root)' : parts[0]
}

function allows(
  entries: readonly Allowed[],
  target: { folder: string; path: string },
  typeOnly: boolean
): boolean {
  return entries.some(entry =>
    typeof entry === 'string'
      ? entry === target.folder || entry === target.path
      : entry.folder === target.folder && (!entry.typeOnly || typeOnly)
  )
}

/** The import and export nodes of TypeScript's ESTree, as far as this rule reads them. */
interface ModuleNode {
  importKind?: string
  exportKind?: string
  specifiers?: readonly { importKind?: string; exportKind?: string }[]
}

function isTypeOnly(node: ModuleNode): boolean {
  if (node.importKind === 'type' || node.exportKind === 'type') return true
  const specifiers = node.specifiers ?? []
  return specifiers.length > 0 && specifiers.every(s => s.importKind === 'type' || s.exportKind === 'type')
}

const cycle = findCycle(allowedImports)
if (cycle !== undefined)
  throw new Error(`eslint/layers.ts: the allowed imports form a cycle: ${cycle.join(' → ')}`)

const allowedImportsRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between the folders of src/ follow the layers of docs/architecture.md' },
    schema: []
  },
  create(context) {
    const srcDir = path.join(context.cwd, 'src')
    const from = folderOf(context.filename, srcDir)
    if (from === undefined) return {}
    const check = (node: Rule.Node, source: object | null | undefined): void => {
      // A dynamic import's argument may be any expression: only a string literal names a file.
      const specifier =
        source !== null && source !== undefined && 'value' in source ? source.value : undefined
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return
      const resolved = path.resolve(path.dirname(context.filename), specifier)
      const folder = folderOf(resolved, srcDir)
      if (folder === undefined || folder === from) return
      const target = { folder, path: path.relative(srcDir, resolved).split(path.sep).join('/') }
      const entries = allowedImports[from]
      if (entries === undefined) {
        context.report({
          node,
          message: `src/${from} is in no layer: add it to eslint/layers.ts and docs/architecture.md`
        })
        return
      }
      if (allows(entries, target, isTypeOnly(node as ModuleNode))) return
      const typeNote = allows(entries, target, true) ? ' except as `import type`' : ''
      context.report({
        node,
        message: `src/${from} may not import src/${target.path}${typeNote} (layers: docs/architecture.md, eslint/layers.ts)`
      })
    }
    return {
      ImportDeclaration: node => check(node, node.source),
      ExportNamedDeclaration: node => check(node, node.source),
      ExportAllDeclaration: node => check(node, node.source),
      ImportExpression: node => check(node, node.source)
    }
  }
}

export const layersPlugin = { rules: { 'allowed-imports': allowedImportsRule } }
