// ESLint (flat config): typescript-eslint with type information, Prettier for layout (eslint-config-prettier turns
// off the rules it owns), and the workflow sandbox's import bans. `npm run lint` runs it; `npm test` runs lint first.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const { builtinModules } = require('node:module');
const globals = require('globals');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.tools/', 'data/', 'test-output/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no clients, no activity code
    // (activity *types* are fine: `import type` is erased). workflows/ holds nothing but workflow code.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'Workflow code is deterministic: no Node built-ins. Do I/O in an activity.',
            })),
            { name: '@temporalio/client', message: 'Workflow code does not call the Temporal client.' },
            { name: '@temporalio/activity', message: 'Activity code does not belong in workflows/.' },
            { name: '@temporalio/worker', message: 'Worker code does not belong in workflows/.' },
          ],
          patterns: [
            {
              group: ['**/activities/**', '!**/activities/*/types'],
              allowTypeImports: true,
              message: 'Workflows call activities through proxyActivities and their types only.',
            },
            {
              // Code compiled into the bundle would change under running histories whenever the file is edited.
              regex: '(^|/)mappings(/index)?$|project\\.mapping\\.json$',
              message:
                'Workflows take the mapping as data (input, local activity currentMapping), not the editable file.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: globals.node } },
  prettier,
);
