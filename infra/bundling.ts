import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

// How each function is bundled, defined once: the stack's NodejsFunctions, the bundle
// test and the cold-start benchmark all build with these options.

export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Bundled CommonJS (mailparser, nodemailer) calls require() for Node built-ins. */
const REQUIRE_BANNER =
  "import { createRequire as __mailTriageCreateRequire } from 'node:module'; const require = __mailTriageCreateRequire(import.meta.url);";

/**
 * mailparser imports libmime's ES build and mailsplit requires its CommonJS build; both
 * work with the CommonJS one, so the bundle carries one copy instead of two.
 */
const LIBMIME = join(PROJECT_ROOT, 'node_modules/libmime/dist/cjs/libmime.js');

/**
 * iconv-lite's CJK code-page tables (400 kB of JSON) are needed only for mail in those
 * charsets: they stay out of the bundle, are copied beside it, and iconv-lite requires
 * them on first use instead of every cold start compiling them.
 */
const CHARSET_TABLES_IMPORT = './tables/*.json';
const CHARSET_TABLES_DIR = join(PROJECT_ROOT, 'node_modules/iconv-lite/encodings/tables');

/** Copies the charset tables to where the bundle's `require('./tables/…')` finds them. */
export function charsetTablesCopyCommand(outputDir: string): string {
  return `mkdir -p "${outputDir}/tables" && cp "${CHARSET_TABLES_DIR}"/*.json "${outputDir}/tables/"`;
}

const TARGET = 'node24';
const MAIN_FIELDS = ['module', 'main'];

export const CDK_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: TARGET,
  mainFields: MAIN_FIELDS,
  banner: REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  esbuildArgs: { '--alias:libmime': LIBMIME, '--external:./tables/*.json': true },
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [charsetTablesCopyCommand(outputDir)],
  },
  logLevel: LogLevel.WARNING,
  // The SDK is bundled too: the versions tested locally are the versions deployed.
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
};

/** The same build for esbuild's API (tests and benchmarks). */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: TARGET,
  mainFields: MAIN_FIELDS,
  banner: { js: REQUIRE_BANNER },
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  alias: { libmime: LIBMIME },
  external: [CHARSET_TABLES_IMPORT],
  logLevel: 'warning',
} as const satisfies BuildOptions;
