import { join } from 'node:path';
import { ESBUILD_OPTIONS, PROJECT_ROOT } from '../infra/bundling.js';
import { runNode } from './child-process.js';
import type { InitProbeResult } from './init-probe.js';
import { type Bundle, bundleForLambda, largestContributors } from './lambda-bundle.js';
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

const LAMBDA_FUNCTIONS: LambdaFunction[] = [
  { name: 'intake', entry: 'functions/intake/handler.ts', clients: [S3, SQS, DYNAMODB, SECRETS] },
  { name: 'auto-reply', entry: 'functions/auto-reply/handler.ts', clients: [SES, DYNAMODB, SQS, SECRETS] },
  { name: 'deliver', entry: 'functions/deliver/handler.ts', clients: [S3, SES, DYNAMODB] },
  { name: 'digest', entry: 'functions/digest/handler.ts', clients: [SES, DYNAMODB] },
];

const MAX_BUNDLE_BYTES = 1_500_000;
const MAX_INIT_RATIO = 1.5;

interface Dependency {
  name: string;
  /** Where its files sit: a function whose bundle has inputs here uses it; null: every function does. */
  path: string | null;
  imports: string[];
  /** The imported names, referenced so that nothing is dropped as unused. */
  names: string[];
}

/**
 * The libraries the functions are built on. Each alone in a bundle built the same way
 * shows what it adds to init; together with a function's SDK clients they are that
 * function's floor: the init no handler using these libraries can go below.
 */
const DEPENDENCIES: Dependency[] = [
  {
    // Node's own time-zone data (ICU), loaded by the first DateTimeFormat with a timeZone:
    // every function counts dates in Europe/Copenhagen and validates the configured zone at
    // init (the team keeps configuration validation there), about 25 ms.
    name: 'Intl time-zone data',
    path: null,
    imports: ["const timeZones = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Copenhagen' });"],
    names: ['timeZones'],
  },
  {
    name: 'mailparser',
    path: 'node_modules/mailparser/',
    imports: ["import { MailParser } from 'mailparser';"],
    names: ['MailParser'],
  },
  {
    name: 'nodemailer MailComposer',
    path: 'node_modules/nodemailer/',
    imports: ["import MailComposer from 'nodemailer/lib/mail-composer';"],
    names: ['MailComposer'],
  },
  {
    name: 'Powertools (logger, metrics, batch, idempotency + DynamoDB layer)',
    path: 'node_modules/@aws-lambda-powertools/',
    imports: [
      "import { BatchProcessor } from '@aws-lambda-powertools/batch';",
      "import { makeIdempotent } from '@aws-lambda-powertools/idempotency';",
      "import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';",
      "import { Logger } from '@aws-lambda-powertools/logger';",
      "import { Metrics } from '@aws-lambda-powertools/metrics';",
    ],
    names: ['BatchProcessor', 'makeIdempotent', 'DynamoDBPersistenceLayer', 'Logger', 'Metrics'],
  },
  {
    name: 'zod (`import * as z`)',
    path: 'node_modules/zod/',
    imports: ["import * as z from 'zod';"],
    names: ['z.object'],
  },
  {
    name: 'DynamoDB document client',
    path: 'node_modules/@aws-sdk/lib-dynamodb/',
    imports: ["import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';"],
    names: ['DynamoDBDocumentClient'],
  },
  {
    name: 'ical-generator',
    path: 'node_modules/ical-generator/',
    imports: ["import ical from 'ical-generator';"],
    names: ['ical'],
  },
  {
    name: 'tldts',
    path: 'node_modules/tldts/',
    imports: ["import { parse } from 'tldts';"],
    names: ['parse'],
  },
];

function dependencySource(deps: Dependency[], clients: [string, string][] = []): string {
  return [
    ...clients.map(([name, pkg]) => `import { ${name} } from '${pkg}';`),
    ...deps.flatMap((dep) => dep.imports),
    `const clients = [${clients.map(([name]) => `new ${name}({ maxAttempts: 4 })`).join(', ')}];`,
    `export const handler = async () => [clients, ${deps.flatMap((dep) => dep.names).join(', ')}].length;`,
    '',
  ].join('\n');
}

function usesDependency(bundle: Bundle, dep: Dependency): boolean {
  if (dep.path === null) return true;
  const path = dep.path;
  // Input paths are relative to the project root but may lead elsewhere first (a
  // node_modules that is a symbolic link resolves to where it points): they are compared
  // from their first node_modules on, so a copy nested in another package does not count.
  return Object.keys(bundle.metafile.inputs).some((input) => {
    const at = input.indexOf('node_modules/');
    return at >= 0 && input.slice(at).startsWith(path);
  });
}

/** A handler bundle tried to reach the network while it was being imported. */
export class NetworkCallAtInit extends Error {
  override readonly name = 'NetworkCallAtInit';
}

type Side = 'fn' | 'baseline' | 'floor';
const SIDES: Side[] = ['fn', 'baseline', 'floor'];

interface Measured {
  fn: LambdaFunction;
  /** The libraries of DEPENDENCIES this function's bundle contains. */
  libraries: Dependency[];
  bundles: Record<Side, Bundle>;
  init: Record<Side, number[]>;
  wall: Record<Side, number[]>;
}

export async function benchColdStart(workDir: string, options: ColdStartOptions): Promise<Section> {
  const probe = await bundleForLambda(
    { file: join(PROJECT_ROOT, 'bench', 'init-probe.ts') },
    workDir,
    'init-probe',
  );
  const measured: Measured[] = [];
  for (const fn of LAMBDA_FUNCTIONS) {
    const bundle = await bundleForLambda({ file: join(PROJECT_ROOT, fn.entry) }, workDir, fn.name);
    const libraries = DEPENDENCIES.filter((dep) => usesDependency(bundle, dep));
    // Every function is built on Powertools at least: none found means the lookup broke.
    if (libraries.length === 0) throw new Error(`${fn.name}: none of the libraries found in its bundle`);
    measured.push({
      fn,
      libraries,
      bundles: {
        fn: bundle,
        baseline: await bundleForLambda(
          { source: dependencySource([], fn.clients), name: `baseline-${fn.name}.ts` },
          workDir,
          `baseline-${fn.name}`,
        ),
        floor: await bundleForLambda(
          { source: dependencySource(libraries, fn.clients), name: `floor-${fn.name}.ts` },
          workDir,
          `floor-${fn.name}`,
        ),
      },
      init: { fn: [], baseline: [], floor: [] },
      wall: { fn: [], baseline: [], floor: [] },
    });
  }

  const run = (bundle: Bundle, fn: LambdaFunction, mode?: 'guard') =>
    runNode<InitProbeResult>([probe.file, bundle.file, ...(mode ? [mode] : [])], {
      env: lambdaEnvironment(fn.name, workDir),
      cwd: workDir,
    });

  // First, with the network guard: init must not reach out (and must produce a handler).
  // This is also each bundle's untimed first run, so every timed run finds the files in
  // the page cache.
  const attempts: string[] = [];
  for (const m of measured) {
    for (const side of SIDES) {
      const label = side === 'fn' ? m.fn.name : `${side}-${m.fn.name}`;
      const { result } = await run(m.bundles[side], m.fn, 'guard');
      if (!result.handlerIsFunction) throw new Error(`${label}: the bundle exports no handler function`);
      for (const attempt of result.networkAttempts) attempts.push(`${label}: ${attempt}`);
    }
  }
  if (attempts.length > 0) {
    throw new NetworkCallAtInit(`module initialisation made network calls:\n  ${attempts.join('\n  ')}`);
  }

  for (let i = 0; i < options.runs; i++) {
    for (const m of measured) {
      // Rotate which goes first.
      const order = SIDES.map((_, k) => SIDES[(i + k) % SIDES.length] as Side);
      for (const side of order) {
        const { result, wallMs } = await run(m.bundles[side], m.fn);
        m.init[side].push(result.initMs);
        m.wall[side].push(wallMs);
      }
    }
  }

  const dependencies: { name: string; usedBy: string; bytes: number; initMs: number }[] = [];
  if (options.dependencyRuns > 0) {
    const anyFunction = LAMBDA_FUNCTIONS[0] as LambdaFunction;
    for (const [i, dep] of DEPENDENCIES.entries()) {
      const bundle = await bundleForLambda(
        { source: dependencySource([dep]), name: `dependency-${i}.ts` },
        workDir,
        `dependency-${i}`,
      );
      await run(bundle, anyFunction);
      const times: number[] = [];
      for (let r = 0; r < options.dependencyRuns; r++)
        times.push((await run(bundle, anyFunction)).result.initMs);
      const usedBy = measured.filter((m) => m.libraries.includes(dep)).map((m) => m.fn.name);
      dependencies.push({
        name: dep.name,
        usedBy: usedBy.join(', ') || 'none',
        bytes: bundle.bytes,
        initMs: median(times),
      });
    }
  }

  // Each run's ratio against the other side's run of the same round, then the median.
  const pairedRatio = (m: Measured, side: Side, against: Side) =>
    median(m.init[side].map((ms, i) => ms / (m.init[against][i] as number)));
  const results = measured.map((m) => ({
    m,
    fnToBaseline: pairedRatio(m, 'fn', 'baseline'),
    floorToBaseline: pairedRatio(m, 'floor', 'baseline'),
    fnToFloor: pairedRatio(m, 'fn', 'floor'),
  }));

  // All bundle sizes, then all init times, then all floors.
  const perFunction = results.map(({ m, fnToBaseline, floorToBaseline, fnToFloor }) => {
    const { bytes } = m.bundles.fn;
    const baselineInit = `SDK clients only: ${fixed(median(m.init.baseline), 0)} ms`;
    const size: Figure = {
      measure: `Bundle size, ${m.fn.name}`,
      value: mb(bytes),
      baseline: `SDK clients only: ${mb(m.bundles.baseline.bytes)}`,
      ratio: ratio(bytes / m.bundles.baseline.bytes),
      target: `≤ ${mb(MAX_BUNDLE_BYTES)}`,
      met: bytes <= MAX_BUNDLE_BYTES,
    };
    // The team's target (issue 14): each function within 1.5× its floor, what its own
    // libraries cost to load; the SDK-only baseline stays beside it for comparison.
    const init: Figure = {
      measure: `Init time, ${m.fn.name}`,
      value: `${fixed(median(m.init.fn), 0)} ms`,
      baseline: `its floor: ${fixed(median(m.init.floor), 0)} ms (${baselineInit}, ${ratio(fnToBaseline)})`,
      ratio: ratio(fnToFloor),
      target: `≤ ${MAX_INIT_RATIO.toFixed(1)}× the floor`,
      met: fnToFloor <= MAX_INIT_RATIO,
    };
    const floor: Figure = {
      measure: `… floor for ${m.fn.name}: its SDK clients and libraries (${m.libraries.map(shortName).join(', ')}) imported, no project code`,
      value: `${fixed(median(m.init.floor), 0)} ms`,
      baseline: baselineInit,
      ratio: ratio(floorToBaseline),
      target: 'none (informational)',
      met: null,
    };
    return { size, init, floor };
  });
  const figures: Figure[] = [
    ...perFunction.map((f) => f.size),
    ...perFunction.map((f) => f.init),
    ...perFunction.map((f) => f.floor),
    {
      measure: 'Network calls during init (all bundles)',
      value: 'none',
      baseline: '—',
      ratio: '—',
      target: 'none',
      met: true,
    },
  ];

  const details = [
    ...table(
      [
        'function',
        'bundle (.mjs, no map)',
        'baseline bundle',
        'floor bundle',
        `init, median of ${options.runs} (min)`,
        'baseline init (min)',
        'floor init (min)',
        'function ÷ baseline',
        'floor ÷ baseline',
        'function ÷ floor',
        'whole process, spawn to exit: function / baseline / floor',
      ],
      results.map(({ m, fnToBaseline, floorToBaseline, fnToFloor }) => [
        m.fn.name,
        mb(m.bundles.fn.bytes),
        mb(m.bundles.baseline.bytes),
        mb(m.bundles.floor.bytes),
        ...SIDES.map(
          (side) => `${fixed(median(m.init[side]), 1)} ms (${fixed(Math.min(...m.init[side]), 1)})`,
        ),
        ratio(fnToBaseline),
        ratio(floorToBaseline),
        ratio(fnToFloor),
        SIDES.map((side) => `${fixed(median(m.wall[side]), 0)} ms`).join(' / '),
      ]),
    ),
    '',
    'The floor is what the target is up against: a handler that uses these libraries cannot initialise faster than importing them. When the floor alone is above 1.5× the baseline, no change to the project’s own code can meet the target; "function ÷ floor" is what the project’s own code (handlers, core, templates, schemas built at load) adds.',
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
        largestContributors(m.bundles.fn.metafile, 8)
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
      'The floor for each function is a bundle, built the same way, of the baseline’s module plus imports of the libraries the function’s bundle contains (found in its esbuild metafile, from the list in the dependency table), and nothing of the project’s own code.',
      'Init time is the `await import()` of the bundle in a fresh `node` process, timed inside that process (what Lambda reports as Init Duration, less the runtime’s own start). The environment is what a deployed function gets (`bench/lambda-environment.ts`): region and credentials as Lambda sets them, no ~/.aws files, and the stack’s variables — `TRIAGE_CONFIG` as a deployment with cdk.json’s context gets it (validated by every function at init), `NODE_OPTIONS=--enable-source-maps` (each bundle’s source map sits beside it, as deployed), the Powertools variables, the reply salt as a Secrets Manager ARN. The baseline and floor bundles run with the same environment.',
      `The guarded import (below) is each bundle’s untimed first run, which puts its files in the page cache; then ${options.runs} rounds, each running function, baseline and floor back to back (which goes first rotating), each in a new process. Times are medians; a ratio is the median of the ${options.runs} per-round ratios, which a busy machine disturbs less than a ratio of medians. Whole-process time (spawn to exit, seen by the parent) is informational.`,
      'Before timing, every bundle is imported once with a guard that fails on any socket connect or DNS lookup and waits 300 ms for calls started at init but not awaited; any attempt aborts the benchmark.',
    ],
  };
}

function shortName(dep: Dependency): string {
  return dep.name.replace(/ \(.*\)$/, '');
}

function describeOptions(): string {
  const o = ESBUILD_OPTIONS;
  return `bundle, minify, platform ${o.platform}, target ${o.target}, format ${o.format}, mainFields ${o.mainFields.join(',')}, a createRequire banner, sourcemap external, libmime deduplicated, linkify-it replaced by a matcher that finds nothing (mailparser uses it only for the text-to-HTML conversion triage switches off), JSON files shipped beside the bundle and required on first use (the CJK charset tables; not counted in the bundle size)`;
}
