/** Writes .env.example from src/config/variables.ts (run: npm run env:example). */
import { writeFileSync } from 'node:fs'
import { variables } from '../src/config/variables.ts'

const lines = [
  '# CRYPTO VIZ configuration. Copy to .env and uncomment what you change.',
  '# The environment overrides .env; every variable is validated at start-up (bad values stop the program',
  '# with a message naming each one). Generated from src/config/variables.ts by `npm run env:example`.',
  ''
]
for (const [name, spec] of Object.entries(variables)) {
  lines.push(`# ${spec.doc} Expects ${spec.parser.expects}.`, `# ${name}=${spec.default}`, '')
}
writeFileSync(new URL('../.env.example', import.meta.url), lines.join('\n'))
