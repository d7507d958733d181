/**
 * What apps/server/build.mjs and apps/cli/build.mjs share: bundling an app's TypeScript and
 * packages/shared with esbuild into one ES module per entry for Node 20, written to a temporary
 * folder and renamed into place (a build running while another process starts never leaves half
 * a file), and the staleness check behind `--if-stale`. A plain .mjs file under packages/ so the
 * container build, which copies apps/ and packages/, has it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARED_SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * An app's bundler. `appDir`: the app's folder (its src/ and build.mjs are the sources besides
 * packages/shared/src); `entries`: output name → entry path relative to appDir; `esbuild`: the app's
 * own esbuild module (a dependency of each app, resolved from there).
 */
export function appBundle({ esbuild, appDir, entries, outDir = path.join(appDir, 'dist'), external = [], banner }) {
  const outputs = Object.keys(entries).map((n) => path.join(outDir, `${n}.js`));
  return {
    outputs,
    /** True when every output exists and is newer than every source file (and the build scripts). */
    isFresh() {
      if (!outputs.every((o) => fs.existsSync(o))) return false;
      const built = Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
      const scripts = [path.join(appDir, 'build.mjs'), fileURLToPath(import.meta.url)].map((f) => fs.statSync(f).mtimeMs);
      return Math.max(newestSource(path.join(appDir, 'src')), newestSource(SHARED_SRC), ...scripts) < built;
    },
    /** Builds every entry into outDir. */
    async build() {
      fs.mkdirSync(outDir, { recursive: true });
      const tmp = fs.mkdtempSync(path.join(outDir, '.build-'));
      try {
        await esbuild.build({
          entryPoints: Object.fromEntries(Object.entries(entries).map(([n, e]) => [n, path.join(appDir, e)])),
          outdir: tmp,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          sourcemap: true,
          external,
          logLevel: 'warning',
          banner: { js: banner },
        });
        for (const f of fs.readdirSync(tmp)) fs.renameSync(path.join(tmp, f), path.join(outDir, f));
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
