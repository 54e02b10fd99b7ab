// Lint rules, including the layer fences: shared imports nothing of Node, DOM or Electron;
// only the shell imports `electron`; only the preload touches ipcRenderer; the renderer never
// reaches into main, nor main into the renderer.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const fence = (patterns) => ['error', { patterns }];
const noElectron = { group: ['electron'], message: 'Only src/main/shell and the preload import electron.' };

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tsbuild/**',
      'test-results/**',
      'playwright-report/**',
      // Testers' throwaway probes (not in git).
      '.probe-ui/**',
      'tests/unit/probe/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': fence([
        noElectron,
        { group: ['node:*', 'fs', 'path', 'os', 'crypto'], message: 'src/shared runs everywhere: no Node modules.' },
        {
          group: ['**/main/**', '**/renderer/**', 'react', 'react-dom', 'dexie'],
          message: 'src/shared depends on nothing above it.',
        },
      ]),
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/shell/**', 'src/main/preload/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': fence([
        noElectron,
        { group: ['**/renderer/**'], message: 'main does not import the renderer.' },
      ]),
    },
  },
  {
    files: ['src/main/shell/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'ipcRenderer belongs to the preload only.',
        },
      ],
    },
  },
  {
    files: ['src/main/preload/**'],
    rules: {
      'no-restricted-imports': fence([
        { group: ['**/core/**', '**/renderer/**', 'zod'], message: 'The preload bundles only the channel list.' },
      ]),
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': fence([
        noElectron,
        { group: ['**/main/**', 'node:*'], message: 'The renderer reaches main only through the contract.' },
      ]),
    },
  },
  {
    files: ['tests/**', 'bench/**', 'scripts/**', '*.config.*'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
