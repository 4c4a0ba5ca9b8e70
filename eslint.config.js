// Lint rules follow research/style.md: strict TypeScript, type-only imports, no `any` without a
// reason, and the pipeline's import direction (stages never import each other) enforced here.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const stages = ['sources', 'jobs', 'api', 'web']
const stageBoundaries = stages.map(stage => ({
  files: [`src/${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: stages
          .filter(other => other !== stage)
          .map(other => ({
            group: [`**/${other}/**`, `../${other}/*`, `../../${other}/*`],
            message: `stage '${stage}' must not import stage '${other}': share through schemas/, bus/ or store/ instead`
          }))
      }
    ]
  }
}))

export default tseslint.config(
  { ignores: ['node_modules', '.cache', '.data', 'dist', 'artifacts', 'src/web/dist'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', 5],
      'max-lines': ['error', { max: 450, skipBlankLines: true, skipComments: true }]
    }
  },
  ...stageBoundaries,
  // The plain-JavaScript launchers run on any Node (they check its version before the TypeScript).
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly', URL: 'readonly' } } }
)
