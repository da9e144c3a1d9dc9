import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { triage } from '../../functions/core/triage.js';
import { charsetTablesCopyCommand, ESBUILD_OPTIONS, PROJECT_ROOT } from '../../infra/bundling.js';
import { FIXTURES_DIR, fixture } from '../support/fixtures.js';

// The deployed functions run bundled code, with libmime deduplicated, linkify-it left out
// and the charset tables shipped beside the bundle. This checks that the bundled core triages every sample exactly as
// the source does, Japanese charsets included (their tables are those JSON files).

let outDir: string;
let bundled: { triage: typeof triage };
let metafile: Metafile;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'triage-bundle-'));
  ({ metafile } = await build({
    ...ESBUILD_OPTIONS,
    metafile: true,
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [join(PROJECT_ROOT, 'functions/core/triage.ts')],
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
  }));
  execSync(charsetTablesCopyCommand(outDir));
  bundled = await import(pathToFileURL(join(outDir, 'triage.mjs')).href);
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the bundled triage core', () => {
  it('ships the charset tables as separate files, not inside the bundle', () => {
    expect(readdirSync(join(outDir, 'tables'))).toContain('shiftjis.json');
  });

  it.each(['linkify-it', 'he', 'tlds'])(
    'carries the %s stub instead of the library, which triage never uses',
    (name) => {
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.some((path) => path.includes(`node_modules/${name}/`))).toBe(false);
      expect(inputs.some((path) => path.endsWith(`infra/stubs/${name}.ts`))).toBe(true);
    },
  );

  it('produces the same record as the source for every sample mail', async () => {
    const context = { sesMessageId: 'bundle', receivedAt: new Date('2026-11-25T10:00:00Z') };
    for (const name of readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.eml'))) {
      const fromSource = await triage(fixture(name), context, DEFAULT_CONFIG);
      const fromBundle = await bundled.triage(fixture(name), context, DEFAULT_CONFIG);
      expect(fromBundle.record, name).toEqual(fromSource.record);
    }
  });

  it('decodes Shift_JIS text and an ISO-2022-JP subject', async () => {
    const { record } = await bundled.triage(
      fixture('general-question-shift-jis-ja.eml'),
      { sesMessageId: 'bundle', receivedAt: new Date('2026-11-24T01:15:00Z') },
      DEFAULT_CONFIG,
    );
    expect(record.subject).toBe('検査結果について');
    expect(record.textPreview).toContain('日本から書いています');
  });
});
