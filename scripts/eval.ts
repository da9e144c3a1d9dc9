// `npm run eval`: triages every mail of the labelled set (test/corpus/cases-*.json) the way
// `triage classify` does, prints the routing-quality figures, writes docs/EVALUATION.md, and
// exits 1 when a figure is below its threshold in test/corpus/thresholds.json.
//   --no-write             print only (CI)
//   --suggest-thresholds   also print thresholds at today's figures, for a changed set
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { triageFile } from '../functions/cli/main.js';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import type { TriageRecord } from '../functions/core/queue-messages.js';
import { loadManifests } from './eval/manifest.js';
import { computeMetrics, figuresOf, type Observation, type Outcome } from './eval/metrics.js';
import { renderReport } from './eval/report.js';
import { shortfalls, ThresholdsSchema, thresholdsAt } from './eval/thresholds.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, 'test', 'corpus');
const REPORT = join(ROOT, 'docs', 'EVALUATION.md');

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  options: { 'no-write': { type: 'boolean' }, 'suggest-thresholds': { type: 'boolean' } },
});

const manifests = await loadManifests(CORPUS);
const thresholds = ThresholdsSchema.parse(
  JSON.parse(await readFile(join(CORPUS, 'thresholds.json'), 'utf8')),
);

const observations: Observation[] = [];
const byManifest: Array<{ name: string; observations: Observation[] }> = [];
for (const manifest of manifests) {
  const own: Observation[] = [];
  for (const c of manifest.cases) {
    const { record } = await triageFile(join(CORPUS, c.file), null, DEFAULT_CONFIG);
    own.push({ case: c, outcome: outcomeOf(record) });
  }
  observations.push(...own);
  byManifest.push({ name: manifest.name, observations: own });
}

const metrics = computeMetrics(observations);
const figures = figuresOf(metrics);
const missed = shortfalls(figures, thresholds);
const report = renderReport(metrics, thresholds, missed, {
  command: 'npm run eval',
  manifests: byManifest.map((m) => ({
    name: m.name,
    cases: m.observations.length,
    metrics: computeMetrics(m.observations),
  })),
});

process.stdout.write(report);
if (values['suggest-thresholds']) {
  process.stdout.write(
    `\nThresholds at today's figures:\n${JSON.stringify(thresholdsAt(figures), null, 2)}\n`,
  );
}
if (!values['no-write']) await writeFile(REPORT, report);
process.exitCode = missed.length > 0 ? 1 : 0;

/** The parts of a record the evaluation compares. */
function outcomeOf(record: TriageRecord): Outcome {
  return {
    topic: record.topic,
    right: record.gdpr?.right ?? null,
    reply:
      record.autoReply.decision === 'send' && record.autoReply.template ? record.autoReply.template : 'none',
    matchedRule: record.matchedRule,
    signals: record.signals,
    confidence: record.confidence,
  };
}
