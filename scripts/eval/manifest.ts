import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { GDPR_RIGHTS, REPLY_TEMPLATES, TOPICS } from '../../functions/core/types.js';

// The labelled evaluation set (test/corpus): one manifest per author, `cases-<group>.json`,
// each an array of cases pointing at one .eml file. The format is described in the README
// ("Routing quality"); this schema is its one definition.

const KEBAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const EvalCaseSchema = z
  .object({
    id: z.string().regex(KEBAB_ID, 'id must be kebab-case'),
    /** Relative to the corpus directory, e.g. `mail/fraud/fraud-subj-plain-da.eml`. */
    file: z.string().regex(/^mail\/[a-z0-9-]+\/[a-z0-9-]+\.eml$/, 'file must be mail/<group>/<id>.eml'),
    topic: z.enum(TOPICS),
    right: z.enum(GDPR_RIGHTS).nullable(),
    /** The auto-reply template expected, or `none` when no reply may be sent. */
    reply: z.enum([...REPLY_TEMPLATES, 'none']),
    tags: z.array(z.string().min(1)),
    source: z.string().trim().min(1, 'source must name the public material the case was adapted from'),
    /** A deliberately weak request that a reviewer must check (the review lane). */
    confidence: z.enum(['high', 'low']).optional(),
  })
  .strict()
  .refine((c) => c.right === null || c.topic === 'data-subject-request', {
    message: 'right is only for data-subject-request cases',
    path: ['right'],
  })
  .refine((c) => c.confidence === undefined || c.topic === 'data-subject-request', {
    message: 'confidence is only for data-subject-request cases',
    path: ['confidence'],
  });

export type EvalCase = z.infer<typeof EvalCaseSchema>;
export type ReplyExpectation = EvalCase['reply'];

export interface Manifest {
  /** The manifest's file name, e.g. `cases-fraud.json`. */
  name: string;
  cases: EvalCase[];
}

/** Names the manifest file and the case that is wrong; never echoes mail content. */
export class ManifestInvalid extends Error {
  override readonly name = 'ManifestInvalid';
}

export const MANIFEST_PATTERN = /^cases-[a-z0-9-]+\.json$/;

/** Every `cases-*.json` in the corpus directory, parsed and validated, in name order. */
export async function loadManifests(corpusDir: string): Promise<Manifest[]> {
  const names = (await readdir(corpusDir)).filter((name) => MANIFEST_PATTERN.test(name)).sort();
  const manifests: Manifest[] = [];
  for (const name of names) {
    manifests.push({ name, cases: parseManifest(name, await readFile(join(corpusDir, name), 'utf8')) });
  }
  return manifests;
}

export function parseManifest(name: string, text: string): EvalCase[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestInvalid(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const result = z.array(EvalCaseSchema).safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ManifestInvalid(`${name}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
