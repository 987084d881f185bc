import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const modules = ['platform', 'orgs', 'catalogue', 'circulation', 'digital', 'museum', 'programmes', 'learners', 'monitoring', 'interop'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'var/', 'migrations/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'src/catalogue/import-worker.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/ignore': ['node_modules'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify plugins and transports are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-cycle': ['error', { maxDepth: 8 }],
      // A module adds its message keys to the platform's catalogue type by extending it.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  // A module reaches another module only through its index.ts (platform is the shared base);
  // test factories (testing.ts) are shared too. Views take presenter types: they import no table,
  // no database row type and no drizzle (the flat config replaces a rule's options, so a view's
  // rule repeats the module's).
  ...modules
    .filter((m) => m !== 'platform')
    .flatMap((m) => {
      const boundaries = modules
        .filter((o) => o !== m && o !== 'platform')
        .map((o) => ({
          regex: `^\\.\\./(\\.\\./)*${o}/(?!(index|testing)\\.js$).+`,
          message: `Import ${o} only through src/${o}/index.ts`,
        }));
      const views = [
        { regex: '(^|/)schema\\.js$', message: 'Views take presenter types (presenters.ts), never tables' },
        { regex: '^drizzle-orm(/|$)', message: 'Views take presenter types (presenters.ts), never query the database' },
        { regex: '.', importNamePattern: '^(?!Grid)\\w+Row$', message: 'Views take presenter types (presenters.ts), never database rows' },
      ];
      return [
        { files: [`src/${m}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns: boundaries }] } },
        { files: [`src/${m}/views/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns: [...boundaries, ...views] }] } },
      ];
    }),
  // The platform is the base: it imports no module. What a module adds to shared pages it
  // declares in its manifest (src/platform/module.ts), which app.ts assembles. Tests of the whole
  // application live in src/app-tests, with their harness in src/testing.
  {
    files: ['src/platform/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...modules
              .filter((m) => m !== 'platform')
              .map((o) => ({ regex: `^(\\.\\./)+${o}/`, message: 'platform/ imports no module; declare it in the module manifest' })),
            { regex: '^(\\.\\./)+(app|modules|demo|main)\\.js$', message: 'platform/ does not import the application' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/**/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
