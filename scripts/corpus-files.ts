import { readdir, stat } from 'node:fs/promises';

/**
 * The .eml files of a corpus directory, sorted; when there is none to read, one line on
 * stderr saying what is needed and exit code 2 (no stack trace for a missing ../shared).
 */
export async function corpusFiles(dir: string, tool: string): Promise<string[]> {
  const isDirectory = await stat(dir).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    console.error(
      `${tool}: ${dir} is not a directory; give one of .eml files: npm run ${tool} -- DIR (CI uses the public-suite corpus in ../shared/corpus beside the repo)`,
    );
    process.exit(2);
  }
  const files = (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  if (files.length === 0) {
    console.error(`${tool}: no .eml files in ${dir}`);
    process.exit(2);
  }
  return files;
}
