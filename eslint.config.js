// Lint rules follow research/style.md: strict TypeScript, type-only imports, no `any` without a
// reason, and the layers of src/ (docs/architecture.md): every folder imports only what its layer
// allows (eslint/layers.js), so stages never import each other and no folders import in a cycle.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { layersPlugin } from './eslint/layers.ts'

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
  { files: ['src/**/*.ts'], plugins: { layers: layersPlugin }, rules: { 'layers/allowed-imports': 'error' } },
  // The plain-JavaScript launchers run on any Node (they check its version before the TypeScript).
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly', URL: 'readonly' } } }
)
