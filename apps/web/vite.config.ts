import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { missingMantineStyles } from './src/app/mantine-styles-check.ts';

/** Mantine's per-component stylesheets (mantine-styles.ts): the build fails when a bundled component's is not imported. */
function mantineStylesCheck(): Plugin {
  const stylesDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@mantine/core/styles.css')), 'styles');
  return {
    name: 'kpki:mantine-styles-check',
    apply: 'build',
    generateBundle(_options, bundle) {
      const bundled = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? Object.entries(c.modules).filter(([, m]) => m.renderedLength > 0).map(([id]) => id) : []));
      const missing = missingMantineStyles(bundled, this.getModuleIds(), (name) => fs.existsSync(path.join(stylesDir, `${name}.css`)));
      if (missing.length) {
        this.error(`Mantine components are bundled without their stylesheet: add ${missing.map((n) => `import '@mantine/core/styles/${n}.css'`).join(', ')} to src/app/mantine-styles.ts (at its place in @mantine/core/styles.css's order)`);
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), mantineStylesCheck()],
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
