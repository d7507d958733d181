/**
 * The lint configuration (eslint.config.js) really enforces the architecture: a deliberate
 * violation of each boundary is an error, and the same file with an allowed import is clean.
 */
import { describe, expect, test } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The restricted-import messages ESLint reports for `code` placed at `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => (m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax') && m.severity === 2).map((m) => m.message);
}

describe('eslint.config.js: layer boundaries', () => {
  test.each([
    ['apps/server/src/routes/x.routes.ts', "import { openDb } from '../store/db.ts';\nexport const x = openDb;\n", 'routes do not import store/ or ssh/'],
    ['apps/server/src/routes/x.routes.ts', "import { connect } from '../ssh/transport.ts';\nexport const x = connect;\n", 'routes do not import store/ or ssh/'],
    ['apps/server/src/routes/x.routes.ts', "import { verifyPassword } from '../auth/passwords.ts';\nexport const x = verifyPassword;\n", 'routes do not check credentials'],
    ['apps/server/src/routes/x.routes.ts', "import { isKnownDevice } from '../auth/sign-in-backoff.ts';\nexport const x = isKnownDevice;\n", 'routes do not check credentials'],
    ['apps/server/src/routes/x.routes.ts', "import { checkCluster } from '@kpki/shared/cluster';\nexport const x = checkCluster;\n", 'routes do not validate topologies'],
    ['apps/server/src/pki/x.ts', "import { openDb } from '../store/db.ts';\nexport const x = openDb;\n", 'pki/ is pure'],
    ['apps/server/src/pki/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n", 'pki/ does no I/O'],
    ['apps/web/src/features/nodes/components/x.tsx', "import { PlanReview } from '../../plan/components/plan-review.tsx';\nexport const x = PlanReview;\n", 'web features do not import each other'],
    ['apps/web/src/features/nodes/components/x.tsx', "import { useCluster } from '../../../features/clusters/api/get-cluster.ts';\nexport const x = useCluster;\n", 'web features do not import each other'],
    ['apps/web/src/lib/x.ts', "import { buildApp } from '../../../server/src/app.ts';\nexport const x = buildApp;\n", 'the web imports nothing of the server'],
    ['packages/shared/src/x.ts', "import { buildApp } from '../../../apps/server/src/app.ts';\nexport const x = buildApp;\n", 'packages/shared imports nothing from the apps'],
    ['packages/shared/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n", 'no node built-ins'],
    ['apps/server/src/services/x.ts', "export const x = (db: { prepare(s: string): unknown }) => db.prepare('SELECT id FROM clusters');\n", 'SQL lives in apps/server/src/store/'],
    ['apps/server/src/cli/x.ts', 'export const x = (t: string) => `DELETE FROM secrets WHERE id = ${t}`;\n', 'SQL lives in apps/server/src/store/'],
    ['apps/server/src/services/x.ts', 'export const x = (deps: { db: unknown }) => deps.db;\n', 'not the database handle'],
  ])('%s: a forbidden import fails (%#)', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  test.each([
    ['apps/server/src/routes/x.routes.ts', "import { getCluster } from '../services/clusters.service.ts';\nexport const x = getCluster;\n"],
    ['apps/server/src/services/x.ts', "import { openDb } from '../store/db.ts';\nexport const x = openDb;\n"],
    ['apps/server/src/routes/x.routes.ts', "import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';\nimport { signIn } from '../services/session.service.ts';\nexport const x = [requireCaKeyAccess, signIn];\n"],
    ['apps/server/src/store/x.repository.ts', "export const x = (db: { prepare(s: string): unknown }) => db.prepare('SELECT id FROM clusters');\n"],
    ['apps/server/src/services/x.ts', "export const x = (repo: { prepare(s: string): unknown }) => repo.prepare('select a certificate to store');\n"],
    ['apps/web/src/features/nodes/components/x.tsx', "import { useNodes } from '../api/get-nodes.ts';\nimport { apiFetch } from '../../../api/client.ts';\nexport const x = [useNodes, apiFetch];\n"],
    ['apps/web/src/app/routes/x.tsx', "import { PlanReview } from '../../features/plan/components/plan-review.tsx';\nexport const x = PlanReview;\n"],
    ['packages/shared/src/x.ts', "import { buildCatalog } from './catalog.ts';\nexport const x = buildCatalog;\n"],
  ])('%s: an allowed import passes (%#)', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
