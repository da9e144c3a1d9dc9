import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { isDomainOrSubdomain } from '../../functions/core/domains.js';
import { classifySender } from '../../functions/core/sender.js';

describe('sender kind', () => {
  it.each([
    ['anna@gmail.com', 'citizen'],
    ['ANNA@GMAIL.COM', 'citizen'],
    ['x@hotmail.dk', 'citizen'],
    ['dpo@regionh.dk', 'authority'],
    ['someone@afdeling.sst.dk', 'authority'],
    ['colleague@ssi.dk', 'authority'],
    ['info@firma.example', 'unknown'],
    ['x@evil-sst.dk', 'unknown'],
    ['x@sst.dk.evil.example', 'unknown'],
    ['not-an-address', 'unknown'],
  ])('classifies %s as %s', (address, kind) => {
    expect(classifySender(address, DEFAULT_CONFIG)).toBe(kind);
  });

  it('classifies configured company domains and their subdomains', () => {
    const config = {
      ...DEFAULT_CONFIG,
      senders: { ...DEFAULT_CONFIG.senders, companyDomains: ['labpartner.dk'] },
    };
    expect(classifySender('dpo@mail.labpartner.dk', config)).toBe('company');
    expect(classifySender(null, config)).toBe('unknown');
  });
});

describe('isDomainOrSubdomain', () => {
  it('matches a domain and its subdomains only', () => {
    expect(isDomainOrSubdomain('ssi.dk', 'ssi.dk')).toBe(true);
    expect(isDomainOrSubdomain('mail.ssi.dk', 'ssi.dk')).toBe(true);
    expect(isDomainOrSubdomain('notssi.dk', 'ssi.dk')).toBe(false);
    expect(isDomainOrSubdomain('ssi.dk.example.com', 'ssi.dk')).toBe(false);
  });

  it('lets a listed public suffix match nothing', () => {
    expect(isDomainOrSubdomain('anything.dk', 'dk')).toBe(false);
    expect(isDomainOrSubdomain('shop.co.uk', 'co.uk')).toBe(false);
  });

  it('matches a listed subdomain but not its parent', () => {
    expect(isDomainOrSubdomain('a.mail.tele.dk', 'mail.tele.dk')).toBe(true);
    expect(isDomainOrSubdomain('tele.dk', 'mail.tele.dk')).toBe(false);
  });
});
