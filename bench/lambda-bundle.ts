import { execSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { charsetTablesCopyCommand, ESBUILD_OPTIONS, PROJECT_ROOT } from '../infra/bundling.js';

// The bundle a Lambda deployment makes: the stack's own bundling options (infra/bundling.ts).

/** Output directories the charset tables have been copied to already. */
const tablesCopiedTo = new Set<string>();

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
    ...ESBUILD_OPTIONS,
    metafile: true,
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
  // As the stack's afterBundling hook does: the charset tables go beside the bundle (the
  // same files for every bundle, so once per directory).
  if (!tablesCopiedTo.has(outDir)) {
    execSync(charsetTablesCopyCommand(outDir));
    tablesCopiedTo.add(outDir);
  }
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
