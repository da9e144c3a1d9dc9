import { readdirSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { expect } from 'vitest';
import { findCprNumbers } from '../../functions/core/cpr.js';
import { FIXTURES_DIR, fixture } from '../support/fixtures.js';

const OWN = /@ssi\.dk$/i;

/** Addresses, display names, subjects and CPR numbers of every sample mail. */
async function personalDataOfFixtures(): Promise<string[]> {
  const values = new Set<string>();
  for (const name of readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.eml'))) {
    const mail = await simpleParser(fixture(name));
    for (const entry of mail.from?.value ?? []) {
      if (entry.address && !OWN.test(entry.address)) values.add(entry.address);
      if (entry.name && entry.name.length > 4) values.add(entry.name);
    }
    if (mail.subject && mail.subject.length > 6) values.add(mail.subject);
    const text = mail.text ?? '';
    for (const range of findCprNumbers(text)) values.add(text.slice(range.start, range.end));
  }
  return [...values];
}

// The fixtures do not change during a run: parsed once, on first use.
let fixtureValues: Promise<string[]> | undefined;

/** Fails with the offending line (redacted) when any log line carries personal data. */
export function assertNoPersonalData(lines: string[]): Promise<void> {
  fixtureValues ??= personalDataOfFixtures();
  return fixtureValues.then((values) => {
    const offending = lines.filter((line) => values.some((value) => line.includes(value)));
    expect(offending.map((line) => line.slice(0, 200))).toEqual([]);
    // Any address at all, ours aside, is a leak too.
    const addresses = lines.filter((line) =>
      (line.match(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g) ?? []).some((address) => !OWN.test(address)),
    );
    expect(addresses.map((line) => line.slice(0, 200))).toEqual([]);
  });
}
