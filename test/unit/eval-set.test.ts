import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { parseMail } from '../../functions/core/parse.js';
import { type EvalCase, loadManifests, ManifestInvalid, parseManifest } from '../../scripts/eval/manifest.js';

// The labelled evaluation set (test/corpus) is test data the routing is measured on: every
// manifest must be well-formed and every mail must be real mail, or the figures mean nothing.

const CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
const manifests = await loadManifests(CORPUS);
const cases = manifests.flatMap((m) => m.cases.map((c) => ({ manifest: m.name, ...c })));

describe('the labelled evaluation set', () => {
  it('has manifests, none of them empty', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const manifest of manifests) expect(manifest.cases.length, manifest.name).toBeGreaterThan(0);
  });

  it('holds at least 150 cases across all manifests', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it('gives every case a unique id across manifests', () => {
    const seen = new Map<string, string>();
    const duplicates = cases.filter((c) => {
      const before = seen.get(c.id);
      seen.set(c.id, c.manifest);
      return before !== undefined;
    });
    expect(duplicates.map((c) => c.id)).toEqual([]);
  });

  it('names each mail file after its case id, and the file exists', () => {
    const wrong = cases.filter((c) => basename(c.file, '.eml') !== c.id || !existsSync(join(CORPUS, c.file)));
    expect(wrong.map((c) => c.id)).toEqual([]);
  });

  it('tags every fraud report with or without a fraud phrase in the subject, not both', () => {
    const untagged = cases.filter(
      (c) =>
        c.topic === 'fraud-sms' &&
        c.tags.includes('with-subject-phrase') === c.tags.includes('without-subject-phrase'),
    );
    expect(untagged.map((c) => c.id)).toEqual([]);
  });

  it('expects no reply to machine mail or unauthenticated senders, and never a fraud or request topic for machine mail', () => {
    const wrong = cases.filter(
      (c) =>
        ((c.tags.includes('machine') || c.tags.includes('unauthenticated')) && c.reply !== 'none') ||
        (c.tags.includes('machine') && (c.topic === 'fraud-sms' || c.topic === 'data-subject-request')),
    );
    expect(wrong.map((c) => c.id)).toEqual([]);
  });

  it('expects the general reply, not the deadline acknowledgement, for a low-confidence request', () => {
    const wrong = cases.filter((c) => c.confidence === 'low' && c.reply === 'data-subject-request');
    expect(wrong.map((c) => c.id)).toEqual([]);
  });

  it.each(cases.map((c) => [c.id, c] as [string, EvalCase]))(
    '%s parses as mail with a From and a Message-ID',
    async (_id, c) => {
      const mail = await parseMail(readFileSync(join(CORPUS, c.file)), DEFAULT_CONFIG.limits);
      expect(mail.parseErrors).toEqual([]);
      expect(mail.from?.address).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(mail.messageId).toMatch(/^<.+@.+>$/);
      expect(dirname(c.file)).toMatch(/^mail\/[a-z0-9-]+$/);
    },
  );
});

describe('a manifest', () => {
  const valid = {
    id: 'fraud-example-da',
    file: 'mail/fraud/fraud-example-da.eml',
    topic: 'fraud-sms',
    right: null,
    reply: 'fraud-sms',
    tags: ['da'],
    source: 'project-written',
  };
  const parse = (entry: object) => () => parseManifest('cases-test.json', JSON.stringify([entry]));

  it('accepts a well-formed case', () => {
    expect(parse(valid)()).toHaveLength(1);
  });

  it.each([
    ['a right on a topic other than data-subject-request', { right: 'access' }, /right/],
    ['an unknown topic', { topic: 'spam' }, /topic/],
    ['an unknown reply', { reply: 'deadline' }, /reply/],
    ['an empty source', { source: ' ' }, /source/],
    ['a confidence on a topic other than data-subject-request', { confidence: 'low' }, /confidence/],
    ['an id that is not kebab-case', { id: 'Fraud_Example' }, /id/],
    ['an unknown field', { expectedTopic: 'general' }, /cases-test\.json/],
  ])('rejects %s, naming the manifest', (_what, change, message) => {
    expect(parse({ ...valid, ...change })).toThrow(ManifestInvalid);
    expect(parse({ ...valid, ...change })).toThrow(message);
  });

  it('accepts a low-confidence data-subject request', () => {
    const entry = {
      ...valid,
      topic: 'data-subject-request',
      right: 'erasure',
      reply: 'general',
      confidence: 'low',
    };
    expect(parse(entry)()[0]?.confidence).toBe('low');
  });
});
