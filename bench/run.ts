import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../infra/bundling.js';
import { benchColdStart, NetworkCallAtInit } from './cold-start.js';
import { loadCorpus } from './corpus.js';
import { describeMachine } from './machine.js';
import { benchMemory } from './memory.js';
import { benchPipeline } from './pipeline.js';
import { type Report, renderReport, renderSummary, type Section } from './report.js';
import { benchThroughput } from './throughput.js';

// `npm run bench`: runs every benchmark in turn and writes docs/BENCHMARKS.md.
// `npm run bench -- cold-start memory` runs only those (and prints, without writing the
// report). BENCH_QUICK=1 runs each briefly (for trying the scripts, not for figures to
// keep); BENCH_KEEP=1 keeps the scratch directory with the bundles.

const SECTIONS = ['throughput', 'memory', 'cold-start', 'pipeline'] as const;
type SectionName = (typeof SECTIONS)[number];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !SECTIONS.includes(name as SectionName));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  process.exit(2);
}
const selected = new Set<SectionName>(asked.length > 0 ? (asked as SectionName[]) : SECTIONS);
const WHOLE_RUN = selected.size === SECTIONS.length;
const QUICK = process.env.BENCH_QUICK === '1';
const COMMAND = `${QUICK ? 'BENCH_QUICK=1 ' : ''}npm run bench`;
const REPORT_FILE = join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md');
const FINDINGS_FILE = join(PROJECT_ROOT, 'bench', 'findings.md');

const startedAt = new Date();
const began = performance.now();
const workDir = mkdtempSync(join(tmpdir(), 'mail-triage-bench-'));
const sections: Section[] = [];
let failure: unknown = null;

const step = async (id: SectionName, name: string, run: () => Promise<Section>) => {
  if (!selected.has(id)) return;
  const stepBegan = performance.now();
  process.stdout.write(`bench: ${name}…`);
  const section = await run();
  sections.push(section);
  process.stdout.write(` ${((performance.now() - stepBegan) / 1000).toFixed(0)} s\n`);
};

try {
  await step('throughput', '1. triage throughput', async () =>
    benchThroughput(
      await loadCorpus(),
      QUICK ? { rounds: 2, measureMs: 500, warmupMs: 500 } : { rounds: 5, measureMs: 2500, warmupMs: 3000 },
    ),
  );
  await step('memory', '2. memory for large mail', () => benchMemory(workDir, { runs: QUICK ? 1 : 3 }));
  await step('cold-start', '3. cold start', () =>
    benchColdStart(workDir, { runs: QUICK ? 3 : 15, dependencyRuns: QUICK ? 1 : 7 }),
  );
  await step('pipeline', '4. local pipeline end to end', () => benchPipeline());
} catch (error) {
  failure = error;
  process.stdout.write('\n');
} finally {
  if (process.env.BENCH_KEEP === '1') console.log(`bench: scratch directory kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

if (failure) {
  if (failure instanceof NetworkCallAtInit) {
    console.error(
      `\n*** bench FAILED: a handler bundle makes network calls at cold start ***\n${failure.message}`,
    );
  } else {
    console.error('\nbench failed:', failure);
  }
  if (WHOLE_RUN) console.error(`${REPORT_FILE} was not written.`);
  process.exit(1);
}

const report: Report = {
  machine: describeMachine(),
  command: COMMAND,
  startedAt,
  durationSeconds: (performance.now() - began) / 1000,
  sections,
  findings: existsSync(FINDINGS_FILE) ? readFileSync(FINDINGS_FILE, 'utf8') : '',
};
console.log(`\n${renderSummary(report)}\n`);
if (WHOLE_RUN) {
  writeFileSync(REPORT_FILE, renderReport(report));
  console.log(`bench: wrote ${REPORT_FILE} in ${Math.round(report.durationSeconds)} s`);
} else {
  console.log(`bench: ${[...selected].join(', ')} only; ${REPORT_FILE} is written by a whole run`);
}
