import { join } from 'node:path';
import { runNode } from './child-process.js';
import { PROJECT_ROOT } from './corpus.js';
import type { InitProbeResult } from './init-probe.js';
import { type Bundle, bundleForLambda, LAMBDA_BUILD_OPTIONS, largestContributors } from './lambda-bundle.js';
import { lambdaEnvironment } from './lambda-environment.js';
import { type Figure, type Section, table } from './report.js';
import { fixed, mb, median, ratio } from './stats.js';

// Item 3: each function's bundle size and module-initialisation time in a fresh Node
// process, against a bundle that only creates the AWS SDK clients the function uses.

export interface ColdStartOptions {
  runs: number;
  /** Runs of each single-dependency bundle (informational); 0 skips them. */
  dependencyRuns: number;
}

interface LambdaFunction {
  name: string;
  entry: string;
  /** [class, package] of each SDK client the function creates at cold start. */
  clients: [string, string][];
}

const S3: [string, string] = ['S3Client', '@aws-sdk/client-s3'];
const SQS: [string, string] = ['SQSClient', '@aws-sdk/client-sqs'];
const SES: [string, string] = ['SESClient', '@aws-sdk/client-ses'];
const DYNAMODB: [string, string] = ['DynamoDBClient', '@aws-sdk/client-dynamodb'];
const SECRETS: [string, string] = ['SecretsManagerClient', '@aws-sdk/client-secrets-manager'];

export const LAMBDA_FUNCTIONS: LambdaFunction[] = [
  { name: 'intake', entry: 'functions/intake/handler.ts', clients: [S3, SQS, DYNAMODB] },
  { name: 'auto-reply', entry: 'functions/auto-reply/handler.ts', clients: [SES, DYNAMODB, SECRETS] },
  { name: 'deliver', entry: 'functions/deliver/handler.ts', clients: [S3, SES, DYNAMODB] },
];

const MAX_BUNDLE_BYTES = 1_500_000;
const MAX_INIT_RATIO = 1.5;

/** The baseline function: the same SDK clients, created at module scope, and nothing else. */
function baselineSource(fn: LambdaFunction): string {
  return [
    ...fn.clients.map(([name, pkg]) => `import { ${name} } from '${pkg}';`),
    `const clients = [${fn.clients.map(([name]) => `new ${name}({ maxAttempts: 4 })`).join(', ')}];`,
    'export const handler = async () => clients.length;',
    '',
  ].join('\n');
}

/**
 * Single dependencies, each alone in a bundle built the same way: what each adds to init,
 * to read the function figures by. Informational, no target.
 */
const DEPENDENCIES: { name: string; path: string; source: string }[] = [
  {
    name: 'mailparser',
    path: 'node_modules/mailparser/',
    source: "import { MailParser } from 'mailparser';\nexport const handler = async () => typeof MailParser;",
  },
  {
    name: 'nodemailer MailComposer',
    path: 'node_modules/nodemailer/',
    source:
      "import MailComposer from 'nodemailer/lib/mail-composer';\nexport const handler = async () => typeof MailComposer;",
  },
  {
    name: 'Powertools (logger, metrics, batch, idempotency + DynamoDB layer)',
    path: 'node_modules/@aws-lambda-powertools/',
    source: [
      "import { BatchProcessor } from '@aws-lambda-powertools/batch';",
      "import { makeIdempotent } from '@aws-lambda-powertools/idempotency';",
      "import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';",
      "import { Logger } from '@aws-lambda-powertools/logger';",
      "import { Metrics } from '@aws-lambda-powertools/metrics';",
      'export const handler = async () => [BatchProcessor, makeIdempotent, DynamoDBPersistenceLayer, Logger, Metrics].length;',
    ].join('\n'),
  },
  {
    name: 'zod (`import * as z`)',
    path: 'node_modules/zod/',
    source: "import * as z from 'zod';\nexport const handler = async () => typeof z.object;",
  },
  {
    name: 'tldts',
    path: 'node_modules/tldts/',
    source: "import { parse } from 'tldts';\nexport const handler = async () => typeof parse;",
  },
];

/** A handler bundle tried to reach the network while it was being imported. */
export class NetworkCallAtInit extends Error {
  override readonly name = 'NetworkCallAtInit';
}

interface Measured {
  fn: LambdaFunction;
  bundle: Bundle;
  baseline: Bundle;
  init: number[];
  baselineInit: number[];
  wall: number[];
  baselineWall: number[];
}

export async function benchColdStart(workDir: string, options: ColdStartOptions): Promise<Section> {
  const probe = await bundleForLambda(
    { file: join(PROJECT_ROOT, 'bench', 'init-probe.ts') },
    workDir,
    'init-probe',
  );
  const measured: Measured[] = [];
  for (const fn of LAMBDA_FUNCTIONS) {
    measured.push({
      fn,
      bundle: await bundleForLambda({ file: join(PROJECT_ROOT, fn.entry) }, workDir, fn.name),
      baseline: await bundleForLambda(
        { source: baselineSource(fn), name: `baseline-${fn.name}.ts` },
        workDir,
        `baseline-${fn.name}`,
      ),
      init: [],
      baselineInit: [],
      wall: [],
      baselineWall: [],
    });
  }

  const run = (bundle: Bundle, fn: LambdaFunction, mode?: 'guard') =>
    runNode<InitProbeResult>([probe.file, bundle.file, ...(mode ? [mode] : [])], {
      env: lambdaEnvironment(fn.name, workDir),
      cwd: workDir,
    });

  // First, with the network guard: init must not reach out (and must produce a handler).
  const attempts: string[] = [];
  for (const m of measured) {
    for (const [bundle, label] of [
      [m.bundle, m.fn.name],
      [m.baseline, `baseline-${m.fn.name}`],
    ] as const) {
      const { result } = await run(bundle, m.fn, 'guard');
      if (!result.handlerIsFunction) throw new Error(`${label}: the bundle exports no handler function`);
      for (const attempt of result.networkAttempts) attempts.push(`${label}: ${attempt}`);
    }
  }
  if (attempts.length > 0) {
    throw new NetworkCallAtInit(`module initialisation made network calls:\n  ${attempts.join('\n  ')}`);
  }

  // One untimed import of each, so every timed run finds the files in the page cache.
  for (const m of measured) {
    await run(m.bundle, m.fn);
    await run(m.baseline, m.fn);
  }
  for (let i = 0; i < options.runs; i++) {
    for (const m of measured) {
      // Alternate which goes first.
      const order = i % 2 === 0 ? (['fn', 'base'] as const) : (['base', 'fn'] as const);
      for (const side of order) {
        const { result, wallMs } = await run(side === 'fn' ? m.bundle : m.baseline, m.fn);
        (side === 'fn' ? m.init : m.baselineInit).push(result.initMs);
        (side === 'fn' ? m.wall : m.baselineWall).push(wallMs);
      }
    }
  }

  const dependencies: { name: string; usedBy: string; bytes: number; initMs: number }[] = [];
  if (options.dependencyRuns > 0) {
    const anyFunction = LAMBDA_FUNCTIONS[0] as LambdaFunction;
    for (const [i, dep] of DEPENDENCIES.entries()) {
      const bundle = await bundleForLambda(
        { source: dep.source, name: `dependency-${i}.ts` },
        workDir,
        `dependency-${i}`,
      );
      await run(bundle, anyFunction);
      const times: number[] = [];
      for (let r = 0; r < options.dependencyRuns; r++)
        times.push((await run(bundle, anyFunction)).result.initMs);
      const usedBy = measured
        .filter((m) => Object.keys(m.bundle.metafile.inputs).some((input) => input.startsWith(dep.path)))
        .map((m) => m.fn.name);
      dependencies.push({
        name: dep.name,
        usedBy: usedBy.join(', ') || 'none',
        bytes: bundle.bytes,
        initMs: median(times),
      });
    }
  }

  const figures: Figure[] = [];
  for (const m of measured) {
    figures.push({
      measure: `Bundle size, ${m.fn.name}`,
      value: mb(m.bundle.bytes),
      baseline: `SDK clients only: ${mb(m.baseline.bytes)}`,
      ratio: ratio(m.bundle.bytes / m.baseline.bytes),
      target: `≤ ${mb(MAX_BUNDLE_BYTES)}`,
      met: m.bundle.bytes <= MAX_BUNDLE_BYTES,
    });
  }
  const pairedRatio = (m: Measured) => median(m.init.map((ms, i) => ms / (m.baselineInit[i] as number)));
  for (const m of measured) {
    const init = median(m.init);
    const base = median(m.baselineInit);
    figures.push({
      measure: `Init time, ${m.fn.name}`,
      value: `${fixed(init, 0)} ms`,
      baseline: `SDK clients only: ${fixed(base, 0)} ms`,
      ratio: ratio(pairedRatio(m)),
      target: `≤ ${MAX_INIT_RATIO.toFixed(1)}×`,
      met: pairedRatio(m) <= MAX_INIT_RATIO,
    });
  }
  figures.push({
    measure: 'Network calls during init (all bundles)',
    value: 'none',
    baseline: '—',
    ratio: '—',
    target: 'none',
    met: true,
  });

  const details = [
    ...table(
      [
        'function',
        'bundle (.mjs, no map)',
        'baseline bundle',
        `init, median of ${options.runs} (min)`,
        'baseline init (min)',
        'ratio (median of pairs)',
        'whole process, spawn to exit',
        'baseline process',
      ],
      measured.map((m) => [
        m.fn.name,
        mb(m.bundle.bytes),
        mb(m.baseline.bytes),
        `${fixed(median(m.init), 1)} ms (${fixed(Math.min(...m.init), 1)})`,
        `${fixed(median(m.baselineInit), 1)} ms (${fixed(Math.min(...m.baselineInit), 1)})`,
        ratio(pairedRatio(m)),
        `${fixed(median(m.wall), 0)} ms`,
        `${fixed(median(m.baselineWall), 0)} ms`,
      ]),
    ),
    ...(dependencies.length > 0
      ? [
          '',
          `What single dependencies cost at init, each alone in a bundle built the same way (median of ${options.dependencyRuns}; informational):`,
          '',
          ...table(
            ['dependency', 'used by', 'bundle', 'init'],
            dependencies.map((d) => [d.name, d.usedBy, mb(d.bytes), `${fixed(d.initMs, 1)} ms`]),
          ),
        ]
      : []),
    '',
    'Largest contributors to each bundle (minified bytes in the output; a package built twice, as CommonJS and as ESM, appears twice):',
    '',
    ...table(
      ['function', 'largest contributors'],
      measured.map((m) => [
        m.fn.name,
        largestContributors(m.bundle.metafile, 8)
          .map((c) => `${c.name} ${Math.round(c.bytes / 1000)} kB`)
          .join(', '),
      ]),
    ),
  ];

  return {
    title: '3. Cold start',
    figures,
    details,
    method: [
      `Each \`functions/<name>/handler.ts\` is bundled with esbuild as the stack deploys it: ${describeOptions()}. The size is the .mjs alone, without its source map; MB = 10⁶ bytes.`,
      `The baseline for each function is a bundle, built the same way, of a module that only creates the SDK clients that function creates (${LAMBDA_FUNCTIONS.map((f) => `${f.name}: ${f.clients.map(([c]) => c).join(', ')}`).join('; ')}).`,
      'Init time is the `await import()` of the bundle in a fresh `node` process, timed inside that process (what Lambda reports as Init Duration, less the runtime’s own start). The environment is what a deployed function gets: region, credentials and the stack’s variables (the reply salt as a Secrets Manager ARN), no ~/.aws files.',
      `One untimed run of each first (page cache); then ${options.runs} timed runs of each, function and baseline back to back (which goes first alternating), each in a new process. Times are medians; the ratio is the median of the ${options.runs} per-pair ratios, which a busy machine disturbs less than a ratio of medians. Whole-process time (spawn to exit, seen by the parent) is informational.`,
      'Before timing, every bundle is imported once with a guard that fails on any socket connect or DNS lookup and waits 300 ms for calls started at init but not awaited; any attempt aborts the benchmark.',
    ],
  };
}

function describeOptions(): string {
  const o = LAMBDA_BUILD_OPTIONS;
  return `bundle, minify, platform ${o.platform}, target ${o.target}, format ${o.format}, mainFields ${o.mainFields.join(',')}, a createRequire banner, sourcemap external, libmime deduplicated, JSON files shipped beside the bundle and required on first use (the CJK charset tables; not counted in the bundle size)`;
}
