import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const PROXY_PATH_FORBIDDEN = ['ink', 'ink/*', 'react', 'react/*', '**/ui/*', '**/ui', '**/report/*', '**/report', '**/reports/*', '**/reports']
const PROXY_PATH_FORBIDDEN_RE = String.raw`/^(ink|react)(\/|$)|(^|\/)(ui|report|reports)(\/|$)/`
const PROXY_PATH_MESSAGE = 'src/proxy, src/telemetry and src/policy must not load ink, React, src/ui, src/report or reports/: they are on the proxy\'s start and call path.'

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'test/fixtures/**', 'coverage/**', 'bench/.work/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly'}},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    // The proxy starts on every MCP server launch and the policy engine and telemetry sit on its call
    // path: none of them may pull in the terminal UI or the report (design.md, "Boundaries are
    // enforced"). test/unit/boundaries.test.ts also walks what `bin/run.js proxy` loads.
    files: ['src/proxy/**', 'src/telemetry/**', 'src/policy/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {patterns: [{group: PROXY_PATH_FORBIDDEN, message: PROXY_PATH_MESSAGE}]}],
      // no-restricted-imports does not see import(): the same rule for dynamic imports.
      'no-restricted-syntax': ['error', {selector: `ImportExpression[source.value=${PROXY_PATH_FORBIDDEN_RE}]`, message: PROXY_PATH_MESSAGE}],
    },
  },
)
