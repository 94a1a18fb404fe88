// Lint for every TypeScript part: typescript-eslint's strict, type-checked rules, and the
// import boundaries of docs/architecture.md (server/, host-agent/ and client/ import
// only protocol/ — the page only its zod-free entry —, protocol/ imports nothing of
// ours, cli/ is the composition root; test/ and bench/ share testkit/, not each other).
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';

const PARTS = ['protocol', 'server', 'host-agent', 'client', 'cli', 'testkit', 'test', 'bench', 'scripts'];

/** from → the parts it may import besides itself (and packages). */
const MAY_IMPORT = {
  protocol: [],
  server: ['protocol'],
  'host-agent': ['protocol'],
  client: [],
  cli: ['server', 'protocol', 'scripts'],
  testkit: ['protocol', 'host-agent', 'cli'],
  test: ['protocol', 'server', 'host-agent', 'client', 'cli', 'testkit', 'scripts'],
  bench: ['protocol', 'server', 'host-agent', 'cli', 'testkit'],
  scripts: ['protocol', 'testkit', 'test', 'cli'],
};

const importBoundaries = {
  files: ['**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': PARTS.map((part) => ({ type: part, pattern: part })),
    'boundaries/files': [
      { category: 'page-contract', pattern: 'protocol/browser.ts' },
      { category: 'unit-test', pattern: '**/*.test.ts' },
    ],
  },
  rules: {
    'boundaries/dependencies': ['error', {
      default: 'disallow',
      policies: [
        { allow: { to: { module: { origin: 'external' } } } },
        { allow: { to: { module: { origin: 'core' } } } },
        ...PARTS.map((part) => ({ from: { element: { type: part } }, allow: { to: { element: { types: { anyOf: [part, ...MAY_IMPORT[part]] } } } } })),
        // The page loads protocol/ only through its zod-free entry.
        { from: { element: { type: 'client' } }, allow: { to: { element: { type: 'protocol' }, file: { categories: 'page-contract' } } } },
        // A unit test beside its code may use the shared test kit, the test helpers and all of protocol/.
        { from: { file: { categories: 'unit-test' } }, allow: { to: { element: { types: { anyOf: ['testkit', 'test', 'protocol'] } } } } },
      ],
    }],
  },
};

export default defineConfig(
  { ignores: ['node_modules/**', 'client/dist/**', 'data/**', 'remote-script/**', 'bench/results/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // With noUncheckedIndexedAccess, `list[i]!` after a bounds check is the idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `return send(res, …)` ends an express handler; returning void from a void function says no more.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText', 'Text'] }],
      eqeqeq: ['error', 'always'],
      // Express error handlers and callbacks keep their positional parameters.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // lowdb's files hold records keyed by id: deleting a key is how an entry leaves.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      // Lit calls a template's event listener with the element as `this`.
      '@typescript-eslint/unbound-method': 'off',
      // A Lit property is unset until the parent renders it, whatever its declared type,
      // so a view's `this.app?.` before the first render is not unnecessary.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      // A `let` set in beforeAll is unset when that hook failed; afterAll's `x?.stop()` is needed.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  { files: ['eslint.config.js'], extends: [tseslint.configs.disableTypeChecked] },
  importBoundaries,
);
