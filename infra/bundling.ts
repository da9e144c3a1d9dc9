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
 * mailparser's link finder, used only for the text-to-HTML conversion that parseMail
 * switches off, is replaced by a matcher that finds nothing (stubs/linkify-it.ts).
 */
const LINKIFY_IT = join(PROJECT_ROOT, 'infra/stubs/linkify-it.ts');

/**
 * The same goes for what mailparser needs only for its HTML views of addresses, headers
 * and links, which triage never reads: `he` (HTML entities, escaping only here,
 * stubs/he.ts) and the `tlds` list for the link finder (stubs/tlds.ts). About 100 kB.
 */
const HE = join(PROJECT_ROOT, 'infra/stubs/he.ts');
const TLDS = join(PROJECT_ROOT, 'infra/stubs/tlds.ts');

/**
 * iconv-lite's CJK code-page tables (about 400 kB when compiled into the bundle) are
 * needed only for mail in those charsets: they stay out of the bundle, are copied beside
 * it, and iconv-lite reads each on first use instead of every cold start compiling all of
 * them. Two are read at every cold start anyway (cp936 and gbk-added, 49 kB): libmime
 * builds a GBK decoder when it loads.
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
  esbuildArgs: {
    '--alias:libmime': LIBMIME,
    '--alias:linkify-it': LINKIFY_IT,
    '--alias:he': HE,
    '--alias:tlds': TLDS,
    '--external:./tables/*.json': true,
  },
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
  alias: { libmime: LIBMIME, 'linkify-it': LINKIFY_IT, he: HE, tlds: TLDS },
  external: [CHARSET_TABLES_IMPORT],
  logLevel: 'warning',
} as const satisfies BuildOptions;
