/**
 * `npm run bench`: the benchmarks of issues 2-5 and 10, each section printing its wall times, ratios
 * against a baseline measured in the same run, targets and PASS/MISS (a miss is reported, not
 * fatal). `npm run bench -- issuance|distribution|dist-scale|load|web|pages|banners|links|lifecycle|audit` runs one section (several may be
 * given). Everything runs on loopback; every process, fleet and temp dir is removed at the end.
 */
import { loadavg, cpus } from 'node:os';
import { CORES, heading, verdicts } from './bench/common.ts';
import { reserveThreadpool } from '../apps/server/src/pki/keys.ts';

reserveThreadpool(); // as the server process does, before anything uses libuv's pool

// imported when run, so that a module that does not load fails its section only
const sections: Record<string, () => Promise<void>> = {
  issuance: async () => (await import('./bench/issuance.ts')).issuanceSection(),
  distribution: async () => (await import('./bench/distribution.ts')).distributionSection(),
  'dist-scale': async () => (await import('./bench/distribution-scale.ts')).distributionScaleSection(),
  load: async () => (await import('./bench/load.ts')).loadSection(),
  web: async () => (await import('./bench/web.ts')).webSection(),
  pages: async () => (await import('./bench/pages.ts')).pagesSection(),
  banners: async () => (await import('./bench/banners.ts')).bannersSection(),
  links: async () => (await import('./bench/links.ts')).linksSection(),
  lifecycle: async () => (await import('./bench/lifecycle.ts')).lifecycleSection(),
  audit: async () => (await import('./bench/audit.ts')).auditSection(),
};

const args = process.argv.slice(2).filter((a) => a !== '--');
const unknown = args.filter((a) => !(a in sections));
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(', ')}: use ${Object.keys(sections).join('|')}`);
  process.exit(2);
}
const chosen = args.length ? args : Object.keys(sections);

console.log(`kpki bench: ${chosen.join(', ')}`);
console.log(`node ${process.version}, ${CORES} cores (${cpus()[0]?.model ?? 'unknown cpu'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);
const t0 = performance.now();
let failed = false;
for (const name of chosen) {
  try {
    await sections[name]();
  } catch (err) {
    failed = true;
    console.log(`\n!! section ${name} failed: ${(err as Error).stack ?? err}`);
  }
}

heading('Summary');
for (const v of verdicts) console.log(`${v.result.padEnd(4)}  ${v.section.padEnd(12)}  ${v.what}`);
const misses = verdicts.filter((v) => v.result === 'MISS').length;
console.log(`\n${verdicts.length - misses} of ${verdicts.length} targets met, ${misses} missed${failed ? ', a section failed (above)' : ''}; ` +
  `total ${((performance.now() - t0) / 1000).toFixed(0)} s, load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
process.exitCode = failed ? 1 : 0;
