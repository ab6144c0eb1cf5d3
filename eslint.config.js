// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * The layer rules of ARCHITECTURE.md, written as import restrictions so they cannot rot.
 * Each entry: the files it applies to, and the layers those files must not import.
 * @type {Array<{ files: string[]; forbidden: string[]; why: string }>}
 */
export const layerRules = [
  {
    files: ['source/domain/**'],
    forbidden: ['azure', 'ui', 'commands', 'cloud', 'sandbox'],
    why: 'domain/ is pure: it imports nothing from the other layers',
  },
  {
    files: ['source/azure/**'],
    forbidden: ['ui', 'commands', 'cloud', 'sandbox'],
    why: 'azure/ gateways import domain/ only',
  },
  {
    files: ['source/*.ts', 'source/*.tsx', 'source/ui/**', 'source/commands/**', 'source/cloud/**'],
    forbidden: ['sandbox'],
    why: 'the program reaches the sandbox only through its one entry (sandbox/index), loaded by cloud/start-sandbox',
  },
  {
    files: ['source/sandbox/**'],
    forbidden: ['domain', 'azure', 'ui', 'commands', 'cloud'],
    why: 'the sandbox models Azure from its documentation and shares no code with the doctor',
  },
];

/** @param {string[]} layers */
const layerRegex = (layers) => `^(\\.{1,2}/)+(.*/)?(${layers.join('|')})(/|$)`;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules.map(({ files, forbidden, why }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: layerRegex(forbidden), message: `Layer boundary: ${why}.` }] },
      ],
    },
  })),
  {
    // The one permitted door into the sandbox.
    files: ['source/cloud/start-sandbox.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain-JS scripts run on Node: its globals are not undefined there.
    files: ['scripts/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'URL', 'Buffer'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },
);
