import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../functions/core/default-config.js';
import { PROJECT_ROOT } from '../infra/bundling.js';
import { runNode } from './child-process.js';
import { bundleForLambda } from './lambda-bundle.js';
import type { LargeMailKind, LargeMailResult } from './large-mail-child.js';
import { type Figure, type Section, table } from './report.js';
import { fixed, MIB, median, mib } from './stats.js';

// Item 2: peak RSS of a fresh process triaging a 40 MB mail against the same process on
// a 4 MB mail, of two kinds. Memory should not grow with the attachment (it is hashed as
// it streams) nor with an HTML body (text parts are kept to their first 4 MiB).

export interface MemoryOptions {
  runs: number;
}

/** 40 MiB: the largest mail the configuration lets through (SES's receiving limit is 40 MB). */
const LARGE = DEFAULT_CONFIG.limits.maxMailBytes;
const SMALL = 4 * MIB;

export async function benchMemory(workDir: string, options: MemoryOptions): Promise<Section> {
  // Bundled and run by plain node, like a deployed function: no TypeScript loader in the
  // measured process.
  const child = await bundleForLambda(
    { file: join(PROJECT_ROOT, 'bench', 'large-mail-child.ts') },
    workDir,
    'large-mail-child',
  );
  const runs: { size: number; kind: LargeMailKind; result: LargeMailResult; wallMs: number }[] = [];
  const cases = (['attachment', 'html'] as const).flatMap((kind) =>
    [SMALL, LARGE].map((size) => ({ kind, size })),
  );
  for (let i = 0; i < options.runs; i++) {
    // Alternate the order, so every case sees the same state of the machine.
    for (const { kind, size } of i % 2 === 0 ? cases : [...cases].reverse()) {
      const { result, wallMs } = await runNode<LargeMailResult>([child.file, String(size), kind]);
      if (!result.verified) {
        throw new Error(
          `the ${mib(size)} ${kind} mail was not triaged as expected (parse errors: ${result.parseErrors.join('; ') || 'none'})`,
        );
      }
      runs.push({ size, kind, result, wallMs });
    }
  }

  const of = (kind: LargeMailKind, size: number) =>
    runs.filter((run) => run.kind === kind && run.size === size).map((run) => run.result);
  const figures: Figure[] = [];
  const samples: LargeMailResult[] = [];
  for (const kind of ['attachment', 'html'] as const) {
    const small = of(kind, SMALL);
    const large = of(kind, LARGE);
    const smallPeak = median(small.map((r) => r.maxRssBytes));
    const largePeak = median(large.map((r) => r.maxRssBytes));
    const highestLarge = Math.max(...large.map((r) => r.maxRssBytes));
    const difference = largePeak - smallPeak;
    const label = kind === 'html' ? ' whose body is HTML' : '';
    samples.push(large[0] as LargeMailResult);
    figures.push(
      {
        measure: `Peak RSS, 40 MiB mail${label} − 4 MiB mail${label}`,
        value: mib(difference),
        baseline: `4 MiB mail: ${mib(smallPeak)}`,
        ratio: `${fixed(largePeak / smallPeak, 2)}× (${mib(largePeak)} / ${mib(smallPeak)})`,
        target: '< 40 MiB difference',
        met: difference < 40 * MIB,
      },
      {
        measure: `Peak RSS, 40 MiB mail${label} (highest run)`,
        value: mib(highestLarge),
        baseline: `after loading the code: ${mib(median(large.map((r) => r.rssAfterLoadBytes)))}`,
        ratio: '—',
        target: '< 256 MiB',
        met: highestLarge < 256 * MIB,
      },
    );
  }
  const [attachmentSample, htmlSample] = samples as [LargeMailResult, LargeMailResult];

  return {
    title: '2. Memory for large mail',
    figures,
    details: [
      `The 40 MiB mail: ${attachmentSample.totalBytes.toLocaleString('en')} bytes, one base64 attachment of ` +
        `${attachmentSample.attachmentBytes.toLocaleString('en')} bytes; reply decision: ${attachmentSample.reply}.`,
      `The 40 MiB HTML mail: ${htmlSample.totalBytes.toLocaleString('en')} bytes, one text/html body of ` +
        `${htmlSample.attachmentBytes.toLocaleString('en')} bytes; parse errors: ${htmlSample.parseErrors.join('; ')}.`,
      '',
      ...table(
        ['run', 'mail', 'kind', 'peak RSS (maxRSS)', 'VmHWM', 'RSS after loading', 'triage time'],
        runs.map((run, i) => [
          String(i + 1),
          mib(run.result.totalBytes),
          run.kind,
          mib(run.result.maxRssBytes),
          run.result.vmHwmBytes === null ? '—' : mib(run.result.vmHwmBytes),
          mib(run.result.rssAfterLoadBytes),
          `${fixed(run.result.elapsedMs, 0)} ms`,
        ]),
      ),
    ],
    method: [
      '`bench/large-mail-child.ts` is bundled with the Lambda options (see item 3) and run by plain `node`, one fresh process per run, sizes alternating.',
      'The mail is generated as a stream while it is read (random bytes, base64, 76-character lines, ~78 KiB chunks), never held whole and never written to disk; it goes through `triage()` as a `Readable`, as intake passes the S3 body, then `composeReply` when the policy says send.',
      `Peak RSS is \`process.resourceUsage().maxRSS\` at the end (VmHWM from /proc/self/status shown as a check). Figures are the median of ${options.runs} runs per size; the peak target uses the highest run.`,
      'Each run checks that the attachment came out whole (size and sha256 equal to what was generated) and that nothing was cut at the size limit.',
      'The HTML mail is generated the same way: one `text/html` body (8bit UTF-8, ~100 KiB chunks of paragraphs with markup and a link). Each run checks that the text preview starts as the body does and that the body was cut at the 4 MiB text bound exactly when it is larger (`text-parts-cut`), with no other parse error than the expected `text-truncated` and `html-conversion-failed` (html-to-text is skipped above 1 MB).',
      'MiB throughout (the 40 MiB mail is the largest the configured `maxMailBytes` lets through, slightly above SES’s 40 MB).',
    ],
  };
}
