/**
 * ESLint (flat config): the recommended basics of ESLint and typescript-eslint, and the layer
 * boundaries of the architecture (README "Layout"), so that a wrong import fails `npm test`:
 *
 * - routes/ never import store/ or ssh/: routes call services, services use repositories and
 *   the transport; nor do they check credentials (auth/passwords, the sign-in backoff) or
 *   validate topologies (@kpki/shared/cluster) themselves: thin routes
 * - pki/ stays pure: no store/, ssh/, services/, routes/, jobs/, fastify, SQLite or file system
 * - a web feature never imports another feature (compose them in app/)
 * - the web imports nothing of the server but packages/shared
 * - packages/shared imports nothing from the apps and nothing of node (it runs in the browser)
 *
 * Style is not linted here: the rule set stays small so that it never blocks work for taste.
 * scripts/lint.test.ts proves that a deliberate violation of each boundary fails.
 */
import fs from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = fs.readdirSync(new URL('./apps/web/src/features/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** `no-restricted-imports` with regex patterns over the import text. */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const WEB_NOT_SERVER = {
  regex: '(^@kpki/server)|((\\.\\./)+server/)',
  message: 'the web imports nothing of the server: the contract is packages/shared',
};

/** A string that starts an SQL statement. */
const SQL = '/^\\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE (TABLE|INDEX|UNIQUE INDEX|TRIGGER)|DROP|ALTER TABLE|PRAGMA|VACUUM)\\b/';

export const boundaries = [
  {
    files: ['apps/server/src/routes/**/*.ts'],
    rules: restrict(
      {
        regex: '^(\\.\\./)+(store|ssh)/',
        message: 'routes do not import store/ or ssh/: call a service (apps/server/src/services/) instead',
      },
      {
        regex: '^(\\.\\./)+auth/(passwords|sign-in-backoff)\\.ts$',
        message: 'routes do not check credentials: services/session.service.ts and users.service.ts do',
      },
      {
        regex: '^@kpki/shared/cluster$',
        message: 'routes do not validate topologies: the services do (clusters.service.ts, nodes.service.ts)',
      },
    ),
  },
  {
    files: ['apps/server/src/pki/**/*.ts'],
    rules: restrict(
      { regex: '^(\\.\\./)+(store|ssh|services|routes|jobs|auth)/', message: 'pki/ is pure X.509: it imports no other layer of the server' },
      { regex: '^(fastify|@fastify/.*|better-sqlite3|ssh2|node:fs.*|fs|node:child_process|node:net)$', message: 'pki/ does no I/O: no fastify, SQLite, SSH, file system or network' },
    ),
  },
  // one config object per file set: a later `no-restricted-imports` would replace an earlier one
  ...FEATURES.map((feature) => ({
    files: [`apps/web/src/features/${feature}/**/*.{ts,tsx}`],
    rules: restrict(WEB_NOT_SERVER, {
      regex: `^(\\.\\./)+(features/)?(${FEATURES.filter((f) => f !== feature).join('|')})/`,
      message: 'web features do not import each other: compose them in apps/web/src/app/, or move the shared piece to components/, lib/ or api/',
    }),
  })),
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/features/**'],
    rules: restrict(WEB_NOT_SERVER),
  },
  {
    // every SQL statement lives in a repository under store/; services get repositories, not the handle
    files: ['apps/server/src/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['apps/server/src/store/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: `Literal[value=${SQL}]`, message: 'SQL lives in apps/server/src/store/*.repository.ts: add a repository function there' },
        { selector: `TemplateElement[value.raw=${SQL}]`, message: 'SQL lives in apps/server/src/store/*.repository.ts: add a repository function there' },
        { selector: "MemberExpression[object.name='deps'][property.name='db']", message: 'use the repositories and deps.transaction, not the database handle' },
      ],
    },
  },
  {
    files: ['packages/shared/src/**/*.ts'],
    rules: restrict(
      { regex: '(^@kpki/(server|web))|((\\.\\./)+apps/)', message: 'packages/shared imports nothing from the apps' },
      { regex: '^node:', message: 'packages/shared is pure and runs in the browser too: no node built-ins' },
    ),
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.artifacts/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // a caught error is often dropped on purpose: its message may hold key material
      'preserve-caught-error': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  { files: ['apps/web/src/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  // Playwright reads a fixture's dependencies from its destructuring pattern: `async ({}, use)` is its idiom
  { files: ['e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
  ...boundaries,
);
