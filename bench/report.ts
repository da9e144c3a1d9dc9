import type { Machine } from './machine.js';

/** One measured figure, compared with a baseline measured in the same run. */
export interface Figure {
  measure: string;
  value: string;
  baseline: string;
  /** figure ÷ baseline (or figure − baseline), as text; '—' when there is none. */
  ratio: string;
  target: string;
  /** null: informational, no target. */
  met: boolean | null;
}

/** One benchmark: its figures, a detail table, and how it was measured. */
export interface Section {
  title: string;
  figures: Figure[];
  /** Markdown lines shown under the section (tables, per-run figures). */
  details: string[];
  /** How it was measured, one bullet each. */
  method: string[];
}

export interface Report {
  machine: Machine;
  command: string;
  startedAt: Date;
  durationSeconds: number;
  sections: Section[];
  /** Hand-written findings (bench/findings.md), kept across runs. */
  findings: string;
}

const mark = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : '**no**');

export function renderReport(report: Report): string {
  const { machine } = report;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`${report.command}\` — do not edit by hand: the figures below are replaced on every run;`,
    'hand-written findings live in `bench/findings.md` and are copied in at the end.',
    '',
    `- **Date:** ${report.startedAt.toISOString()} (the run took ${Math.round(report.durationSeconds)} s)`,
    `- **Command:** \`${report.command}\` (the script \`tsx bench/run.ts\`), from the project root`,
    `- **CPU:** ${machine.cpuModel}, ${machine.cores} logical cores`,
    `- **Memory:** ${machine.memory}`,
    `- **Node:** ${machine.node} (${machine.v8}), ${machine.os}`,
    '',
    'Every comparison is a ratio against a baseline measured by the same script in the same run,',
    'so a slower or busier machine moves both sides.',
    '',
    '## Summary',
    '',
    '| measure | figure | baseline | ratio | target | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const section of report.sections) {
    for (const f of section.figures) {
      lines.push(`| ${f.measure} | ${f.value} | ${f.baseline} | ${f.ratio} | ${f.target} | ${mark(f.met)} |`);
    }
  }
  for (const section of report.sections) {
    lines.push('', `## ${section.title}`, '');
    if (section.details.length > 0) lines.push(...section.details, '');
    if (section.method.length > 0) {
      lines.push('Method:', '');
      for (const note of section.method) lines.push(`- ${note}`);
    }
  }
  if (report.findings.trim()) lines.push('', report.findings.trim());
  lines.push('');
  return lines.join('\n');
}

/** The summary for the terminal. */
export function renderSummary(report: Report): string {
  const lines: string[] = [];
  for (const section of report.sections) {
    for (const f of section.figures) {
      const verdict = f.met === null ? '' : f.met ? '  [target met]' : '  [TARGET MISSED]';
      lines.push(`- ${f.measure}: ${f.value} vs ${f.baseline} → ${f.ratio} (target ${f.target})${verdict}`);
    }
  }
  return lines.join('\n');
}

/** A markdown table from a header and rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}
