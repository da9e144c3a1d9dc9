import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../infra/bundling.js';
import { FIXTURES_DIR } from '../test/support/fixtures.js';

/** The real-mail corpus lives next to the project, never in it (its licences vary per file). */
const CORPUS_DIR = process.env.BENCH_CORPUS_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'corpus');

export interface BenchMail {
  name: string;
  raw: Buffer;
}

export interface Corpus {
  mails: BenchMail[];
  /** Where the mails came from, for the report. */
  sources: { dir: string; count: number }[];
}

/** Every .eml of the shared corpus and of the test fixtures, read into memory once. */
export async function loadCorpus(): Promise<Corpus> {
  const mails: BenchMail[] = [];
  const sources: Corpus['sources'] = [];
  for (const dir of [CORPUS_DIR, FIXTURES_DIR]) {
    if (!existsSync(dir)) {
      console.warn(`bench: ${dir} does not exist; measuring without it`);
      continue;
    }
    const names = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
    for (const name of names) mails.push({ name, raw: await readFile(join(dir, name)) });
    sources.push({ dir: relative(PROJECT_ROOT, dir) || '.', count: names.length });
  }
  if (mails.length === 0) throw new Error('bench: no .eml files found in the corpus or the fixtures');
  return { mails, sources };
}
