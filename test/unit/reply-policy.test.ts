import { describe, expect, it } from 'vitest';
import { configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { machineMailReason } from '../../functions/core/machine-mail.js';
import { parseMail } from '../../functions/core/parse.js';
import { decideReply, isValidReplyAddress, replyTarget } from '../../functions/core/reply-policy.js';
import type { Authentication, SenderKind, Topic } from '../../functions/core/types.js';
import { fixture } from '../support/fixtures.js';

const PASS: Authentication = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
const limits = DEFAULT_CONFIG.limits;

async function decide(
  name: string,
  options: {
    envelopeSender?: string;
    topic?: Topic;
    senderKind?: SenderKind;
    authentication?: Partial<Authentication>;
    config?: typeof DEFAULT_CONFIG;
  } = {},
) {
  const mail = await parseMail(fixture(name), limits);
  return decideReply(
    {
      mail,
      envelopeSender: options.envelopeSender,
      topic: options.topic ?? 'general',
      senderKind: options.senderKind ?? 'citizen',
      authentication: { ...PASS, ...options.authentication },
      machineReason: machineMailReason(mail),
    },
    options.config ?? DEFAULT_CONFIG,
  );
}

describe('reply policy', () => {
  it('answers a citizen at the envelope sender SES reported (RFC 3834 §4)', async () => {
    const decision = await decide('general-question-da.eml', { envelopeSender: 'peter.nielsen@icloud.com' });
    expect(decision).toEqual({
      autoReply: { decision: 'send', reason: 'eligible', template: 'general' },
      replyTo: 'peter.nielsen@icloud.com',
    });
  });

  it('uses the Return-Path header when there is no SES envelope', async () => {
    const mail = await parseMail(fixture('newsletter-precedence-bulk.eml'), limits);
    expect(replyTarget(mail, undefined).address).toBe(
      'bounce-77123-ssidatabeskyttelse=ssi.dk@nyheder.example',
    );
  });

  it('never answers the null sender', async () => {
    const decision = await decide('general-question-da.eml', { envelopeSender: '' });
    expect(decision.autoReply.reason).toBe('null-sender');
  });

  it('does not answer when SPF fails and no DKIM signature passes', async () => {
    const decision = await decide('general-question-da.eml', {
      authentication: { spf: 'FAIL', dkim: 'GRAY' },
    });
    expect(decision.autoReply.reason).toBe('authentication-failed');
  });

  it('answers when SPF fails but DKIM passes (forwarded mail)', async () => {
    const decision = await decide('general-question-da.eml', {
      authentication: { spf: 'FAIL', dkim: 'PASS' },
    });
    expect(decision.autoReply.decision).toBe('send');
  });

  it.each([
    ['mailer-daemon@example.com', 'system-sender'],
    ['postmaster@example.com', 'system-sender'],
    ['noreply@example.com', 'no-reply-sender'],
    ['no_reply@example.com', 'no-reply-sender'],
    ['do-not-reply@example.com', 'no-reply-sender'],
    ['owner-dpo-list@example.com', 'no-reply-sender'],
    ['dpo-list-request@example.com', 'no-reply-sender'],
    ['ssidatabeskyttelse@ssi.dk', 'own-address'],
    ['someone@afdeling.ssi.dk', 'own-address'],
    ['user@[192.0.2.1]', 'invalid-reply-address'],
    ['user@localhost', 'invalid-reply-address'],
    ['user@example.invalid', 'invalid-reply-address'],
  ])('does not answer the envelope sender %s (%s)', async (envelopeSender, reason) => {
    const decision = await decide('general-question-da.eml', { envelopeSender });
    expect(decision.autoReply.reason).toBe(reason);
  });

  it('does not answer authorities or companies, even on the general topic', async () => {
    expect((await decide('general-question-da.eml', { senderKind: 'authority' })).autoReply.reason).toBe(
      'authority-or-company',
    );
    expect((await decide('general-question-da.eml', { senderKind: 'company' })).autoReply.reason).toBe(
      'authority-or-company',
    );
  });

  it('does not answer quarantined mail, whatever rule put it there', async () => {
    expect((await decide('general-question-da.eml', { topic: 'quarantine' })).autoReply.reason).toBe(
      'quarantine-topic',
    );
  });

  it('records that replies are switched off in the configuration', async () => {
    const config = configWithOverrides({ reply: { enabled: false } }, DEFAULT_CONFIG, 'test');
    expect((await decide('general-question-da.eml', { config })).autoReply.reason).toBe('replies-disabled');
  });

  it('picks the template of the topic', async () => {
    const decision = await decide('fraud-sms-en.eml', { topic: 'fraud-sms' });
    expect(decision.autoReply.template).toBe('fraud-sms');
  });
});

describe('isValidReplyAddress', () => {
  it.each(['anna@gmail.com', 'a.b+tag@sub.example.co.uk', 'x@ssi.dk'])('accepts %s', (address) => {
    expect(isValidReplyAddress(address)).toBe(true);
  });
  it.each(['', 'no-at-sign', 'a@b', 'a b@example.com', 'a@example.com\r\nBcc: x@example.com', 'a@-bad-.com'])(
    'rejects %j',
    (address) => {
      expect(isValidReplyAddress(address)).toBe(false);
    },
  );
});
