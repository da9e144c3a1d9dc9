import { execSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { charsetTablesCopyCommand, ESBUILD_OPTIONS } from '../infra/bundling.js';
import { PROJECT_ROOT } from './corpus.js';

// The bundle a Lambda deployment makes: the stack's own bundling options (infra/bundling.ts).

export const LAMBDA_BUILD_OPTIONS = {
  ...ESBUILD_OPTIONS,
  metafile: true,
} as const satisfies BuildOptions;

export interface Bundle {
  /** The .mjs file; its source map sits beside it and is not counted. */
  file: string;
  bytes: number;
  metafile: Metafile;
}

/** Bundles a file of the project, or source given as text (resolved from the project root). */
export async function bundleForLambda(
  entry: { file: string } | { source: string; name: string },
  outDir: string,
  outName: string,
): Promise<Bundle> {
  const file = join(outDir, `${outName}.mjs`);
  const result = await build({
    ...LAMBDA_BUILD_OPTIONS,
    absWorkingDir: PROJECT_ROOT,
    outdir: outDir,
    entryNames: outName,
    outExtension: { '.js': '.mjs' },
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : {
          stdin: { contents: entry.source, resolveDir: PROJECT_ROOT, sourcefile: entry.name, loader: 'ts' },
        }),
  });
  // As the stack's afterBundling hook does: the charset tables go beside the bundle.
  execSync(charsetTablesCopyCommand(outDir));
  return { file, bytes: statSync(file).size, metafile: result.metafile };
}

/** The packages (or project folders) that contribute most bytes to a bundle. */
export function largestContributors(metafile: Metafile, count: number): { name: string; bytes: number }[] {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/dist\/(cjs|esm)\/)?/.exec(path);
      // A package bundled twice (its CommonJS and its ESM build) is shown as two entries.
      const name = pkg
        ? `${pkg[1]}${pkg[2] ? ` (${pkg[2]})` : ''}`
        : path.startsWith('<stdin>')
          ? '(entry)'
          : path.split('/').slice(0, 2).join('/');
      sizes.set(name, (sizes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...sizes]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
