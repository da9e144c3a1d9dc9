import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './corpus.js';
import type { Section } from './report.js';

// Item 4: the local pipeline end to end — mails per second from SMTP accept to the reply
// in the SES emulator, p50 and p99 latency. It needs `local/pipeline.ts` (the local
// pipeline issue); until that exists this section is skipped with a message.
//
// HOOK for whoever writes item 4: replace the body of `benchPipeline` below. It gets the
// run's scratch directory and must return a Section (see report.ts): figures with the
// baseline measured in the same run, a detail table and method notes. bench/run.ts calls
// it last and needs no other change (`npm run bench -- pipeline` runs it alone). Budget:
// the other three take about 85 s of the whole run's ~3 minutes.

export const PIPELINE_MODULE = join(PROJECT_ROOT, 'local', 'pipeline.ts');

export async function benchPipeline(_workDir: string): Promise<Section> {
  const title = '4. Local pipeline end to end';
  if (!existsSync(PIPELINE_MODULE)) {
    return {
      title,
      figures: [],
      details: [],
      method: [],
      skipped: '`local/pipeline.ts` does not exist yet (the local pipeline issue); nothing to measure.',
    };
  }
  return {
    title,
    figures: [],
    details: [],
    method: [],
    skipped:
      '`local/pipeline.ts` exists, but its benchmark is not written yet: see the hook in `bench/pipeline.ts`.',
  };
}
