import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseReference, findCaseReference } from '../../functions/core/case-reference.js';

const SES_ID = '0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000';

describe('caseReference', () => {
  it('is SSI-DB, the year and two groups of five unambiguous symbols', () => {
    expect(caseReference(SES_ID, 2026)).toMatch(/^SSI-DB-2026-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('is the same for every retry of the same mail, and differs between mails', () => {
    expect(caseReference(SES_ID, 2026)).toBe(caseReference(SES_ID, 2026));
    expect(caseReference(SES_ID, 2026)).not.toBe(caseReference(`${SES_ID}1`, 2026));
  });

  it('never uses I, L, O or U, whatever the id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (id) => {
        expect(caseReference(id, 2027).slice('SSI-DB-2027-'.length)).not.toMatch(/[ILOU]/);
      }),
    );
  });

  it('gives a million SES message ids a million different references', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++)
      seen.add(caseReference(`0100019${i.toString(16).padStart(9, '0')}-ses`, 2026));
    expect(seen.size).toBe(1_000_000);
  });
});

describe('findCaseReference', () => {
  const reference = caseReference(SES_ID, 2026);

  it('finds a reference quoted in a reply, as written or typed loosely', () => {
    expect(findCaseReference(`Hej, jeg skriver angående ${reference}. Mvh`)).toBe(reference);
    expect(findCaseReference(`ref: ${reference.toLowerCase().replaceAll('-', ' ')}`)).toBe(reference);
  });

  it('finds none where there is none', () => {
    expect(findCaseReference('Anmodning om indsigt')).toBeNull();
    expect(findCaseReference('SSI-DB-2026-UUUUU-UUUUU')).toBeNull();
  });
});
