import { describe, expect, it } from 'vitest';
import { readAuthentication } from '../../functions/core/authentication.js';
import { configWithOverrides } from '../../functions/core/config.js';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { machineMailReason } from '../../functions/core/machine-mail.js';
import { parseMail } from '../../functions/core/parse.js';
import { decideReply, isValidReplyAddress, replyTarget } from '../../functions/core/reply-policy.js';
import { triage } from '../../functions/core/triage.js';
import type { Authentication, SenderKind, Topic } from '../../functions/core/types.js';
import { fixture } from '../support/fixtures.js';
import { addFields, removeFields, replaceField, sesResults } from '../support/mail-variants.js';

const limits = DEFAULT_CONFIG.limits;
/** The envelope sender of general-question-da.eml, whose SES headers authenticate it. */
const PETER = 'peter.nielsen@icloud.com';

interface DecideOptions {
  envelopeSender?: string;
  topic?: Topic;
  senderKind?: SenderKind;
  /** SES's notification verdicts; when absent, as in the CLI, only the stored headers speak. */
  notification?: Partial<Authentication>;
  envelopeRecipients?: string[];
  config?: typeof DEFAULT_CONFIG;
}

/** The reply policy on a mail, with the verdicts triage merges from the same sources. */
async function decide(mailOrFixture: string | Buffer, options: DecideOptions = {}) {
  const raw = typeof mailOrFixture === 'string' ? fixture(mailOrFixture) : mailOrFixture;
  const mail = await parseMail(raw, limits);
  return decideReply(
    {
      mail,
      envelopeSender: options.envelopeSender,
      topic: options.topic ?? 'general',
      senderKind: options.senderKind ?? 'citizen',
      authentication: readAuthentication(
        mail.headerLines,
        DEFAULT_CONFIG.receivingHost,
        options.notification,
      ),
      notificationVerdicts: options.notification,
      envelopeRecipients: options.envelopeRecipients,
      machineReason: machineMailReason(mail),
    },
    options.config ?? DEFAULT_CONFIG,
  );
}

const reasonOf = async (mail: string | Buffer, options?: DecideOptions) =>
  (await decide(mail, options)).autoReply.reason;

/** general-question-da.eml as SES would have stored it with these results instead of its own. */
function peterWith(...clauses: string[]): Buffer {
  const raw = removeFields(fixture('general-question-da.eml'), 'received-spf');
  return replaceField(raw, 'authentication-results', clauses.length > 0 ? sesResults(...clauses) : null);
}

const SPF_PASS = `spf=pass (spfCheck: domain of icloud.com designates 17.58.63.178 as permitted sender) client-ip=17.58.63.178; envelope-from=${PETER}; helo=qs51p00im.me.com`;
const spf = (result: string) =>
  `spf=${result} (spfCheck: domain of icloud.com does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=${PETER}; helo=spoofer.example`;

describe('reply policy', () => {
  it('answers a citizen at the envelope sender SES reported (RFC 3834 §4)', async () => {
    const decision = await decide('general-question-da.eml', { envelopeSender: PETER });
    expect(decision).toEqual({
      autoReply: { decision: 'send', reason: 'eligible', template: 'general' },
      replyTo: PETER,
    });
  });

  it('uses the Return-Path header when there is no SES envelope', async () => {
    const mail = await parseMail(fixture('newsletter-precedence-bulk.eml'), limits);
    expect(replyTarget(mail, undefined).address).toBe(
      'bounce-77123-ssidatabeskyttelse=ssi.dk@nyheder.example',
    );
  });

  it('never answers the null sender', async () => {
    expect(await reasonOf('general-question-da.eml', { envelopeSender: '' })).toBe('null-sender');
  });

  it.each([
    ['mailer-daemon@example.com', 'system-sender'],
    ['postmaster@example.com', 'system-sender'],
    ['mailer-daemon+bounce-7781@example.com', 'system-sender'],
    ['Postmaster+x@example.com', 'system-sender'],
    ['noreply@example.com', 'no-reply-sender'],
    ['no_reply@example.com', 'no-reply-sender'],
    ['do-not-reply@example.com', 'no-reply-sender'],
    ['owner-dpo-list@example.com', 'no-reply-sender'],
    ['dpo-list-request@example.com', 'no-reply-sender'],
    ['SRS0=a1b2=T7=example.com=mailer-daemon@forwarder.example', 'system-sender'],
    ['SRS0=a1b2=T7=shop.example=noreply@forwarder.example', 'no-reply-sender'],
    ['ssidatabeskyttelse@ssi.dk', 'own-address'],
    ['someone@afdeling.ssi.dk', 'own-address'],
    ['user@[192.0.2.1]', 'invalid-reply-address'],
    ['user@localhost', 'invalid-reply-address'],
    ['user@example.invalid', 'invalid-reply-address'],
  ])('does not answer the envelope sender %s (%s)', async (envelopeSender, reason) => {
    expect(await reasonOf('general-question-da.eml', { envelopeSender })).toBe(reason);
  });

  it('does not answer authorities or companies, even on the general topic', async () => {
    expect(await reasonOf('general-question-da.eml', { senderKind: 'authority' })).toBe(
      'authority-or-company',
    );
    expect(await reasonOf('general-question-da.eml', { senderKind: 'company' })).toBe('authority-or-company');
  });

  it('does not answer quarantined mail, whatever rule put it there', async () => {
    expect(await reasonOf('general-question-da.eml', { topic: 'quarantine' })).toBe('quarantine-topic');
  });

  it('records that replies are switched off in the configuration', async () => {
    const config = configWithOverrides({ reply: { enabled: false } }, DEFAULT_CONFIG, 'test');
    expect(await reasonOf('general-question-da.eml', { config })).toBe('replies-disabled');
  });

  it('picks the template of the topic', async () => {
    const decision = await decide('fraud-sms-en.eml', { topic: 'fraud-sms' });
    expect(decision.autoReply.template).toBe('fraud-sms');
  });

  it('does not answer mail that a machine stamped with X-Loop, whatever it names', async () => {
    const looped = addFields(
      fixture('general-question-da.eml'),
      'sender',
      'X-Loop: dpo-forward@privat.example',
    );
    expect(await reasonOf(looped, { envelopeSender: PETER })).toBe('loop-detected');
  });
});

describe('only an authenticated envelope sender is answered', () => {
  // Stored headers only (the CLI, a replay): what SES wrote on top decides.
  it.each([
    ['SPF softfail, no DKIM', [spf('softfail'), 'dkim=none header.i=@icloud.com'], 'unauthenticated-sender'],
    ['SPF neutral, no DKIM', [spf('neutral'), 'dkim=none'], 'unauthenticated-sender'],
    ['SPF none, no DKIM', [spf('none'), 'dkim=none'], 'unauthenticated-sender'],
    [
      'SPF temperror, DKIM temperror',
      [spf('temperror'), 'dkim=temperror header.d=icloud.com'],
      'unauthenticated-sender',
    ],
    [
      'SPF permerror, DKIM permerror',
      [spf('permerror'), 'dkim=permerror header.d=icloud.com'],
      'unauthenticated-sender',
    ],
    ['SPF fail, no DKIM', [spf('fail'), 'dkim=none'], 'authentication-failed'],
    [
      'DKIM fail for its domain',
      [spf('softfail'), 'dkim=fail header.d=icloud.com'],
      'unauthenticated-sender',
    ],
    [
      'DKIM pass for a different domain',
      [spf('softfail'), 'dkim=pass header.d=bulk-sender.example'],
      'unauthenticated-sender',
    ],
    [
      'DKIM pass for a look-alike domain',
      [spf('none'), 'dkim=pass header.i=@icloud.com.evil.example'],
      'unauthenticated-sender',
    ],
    [
      'DKIM pass for a domain ending in the same letters',
      [spf('none'), 'dkim=pass header.d=noticloud.com'],
      'unauthenticated-sender',
    ],
    [
      'SPF pass for another MAIL FROM',
      ['spf=pass smtp.mailfrom=bounces@relay-mail.dk', 'dkim=none'],
      'unauthenticated-sender',
    ],
    [
      'SPF pass naming no MAIL FROM',
      ['spf=pass (checked) client-ip=203.0.113.9', 'dkim=none'],
      'unauthenticated-sender',
    ],
    [
      'SPF pass for the HELO name only',
      ['spf=pass smtp.helo=icloud.com', 'dkim=none'],
      'unauthenticated-sender',
    ],
    ['no Authentication-Results at all', [], 'unauthenticated-sender'],
    [
      'a DMARC fail, whatever else passed',
      [SPF_PASS, 'dkim=pass header.d=icloud.com', 'dmarc=fail header.from=icloud.com'],
      'authentication-failed',
    ],
  ])('does not answer a sender with %s', async (_, clauses, reason) => {
    expect(await reasonOf(peterWith(...clauses), { envelopeSender: PETER })).toBe(reason);
  });

  it('trusts no pass written below the receiving host’s own Authentication-Results', async () => {
    const forged = addFields(
      peterWith(spf('softfail'), 'dkim=none'),
      'sender',
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=peter.nielsen@icloud.com; dkim=pass header.d=icloud.com',
    );
    expect(await reasonOf(forged, { envelopeSender: PETER })).toBe('unauthenticated-sender');
    expect(await reasonOf('forged-sender-spf-softfail.eml')).toBe('unauthenticated-sender');
  });

  it('trusts no Authentication-Results of another authserv-id, even on top', async () => {
    const other = addFields(
      peterWith(spf('softfail'), 'dkim=none'),
      'top',
      'Authentication-Results: mx.evil.example; spf=pass smtp.mailfrom=peter.nielsen@icloud.com; dkim=pass header.d=icloud.com',
    );
    expect(await reasonOf(other, { envelopeSender: PETER })).toBe('unauthenticated-sender');
  });

  it.each([
    ['SPF pass for the MAIL FROM domain (SES’s envelope-from)', [SPF_PASS, 'dkim=none']],
    ['SPF pass for the MAIL FROM domain (RFC 8601 smtp.mailfrom)', [`spf=pass smtp.mailfrom=${PETER}`]],
    ['SPF pass with the MAIL FROM domain alone', ['spf=pass smtp.mailfrom=icloud.com']],
    ['DKIM pass for that domain (header.i)', [spf('softfail'), 'dkim=pass header.i=@icloud.com']],
    ['DKIM pass for that domain (header.d)', [spf('none'), 'dkim=pass header.d=icloud.com']],
    [
      'DKIM pass for a subdomain of its organisational domain',
      [spf('neutral'), 'dkim=pass header.d=mail.icloud.com'],
    ],
    [
      'one passing aligned signature among failing ones',
      [
        spf('none'),
        'dkim=fail header.d=icloud.com',
        'dkim=pass header.d=bulk.example',
        'dkim=pass header.i=@icloud.com',
      ],
    ],
  ])('answers a sender with %s', async (_, clauses) => {
    expect(await reasonOf(peterWith(...clauses), { envelopeSender: PETER })).toBe('eligible');
  });

  it('answers an envelope sender at a subdomain when the organisational domain signed', async () => {
    const raw = peterWith(spf('none'), 'dkim=pass header.d=icloud.com');
    expect(await reasonOf(raw, { envelopeSender: 'peter.nielsen@me.icloud.com' })).toBe('eligible');
  });

  it('does not let one tenant of a private public suffix vouch for another', async () => {
    const raw = peterWith('spf=none', 'dkim=pass header.d=attacker.github.io');
    expect(await reasonOf(raw, { envelopeSender: 'victim@someone.github.io' })).toBe(
      'unauthenticated-sender',
    );
  });

  describe('with SES’s notification (deployed)', () => {
    it.each(['GRAY', 'PROCESSING_FAILED', 'UNKNOWN', 'DISABLED'] as const)(
      'does not answer when SES’s SPF verdict is %s and no aligned DKIM signature passed',
      async (status) => {
        const raw = peterWith(spf('softfail'), 'dkim=none');
        const notification = { spf: status, dkim: 'PASS' as const };
        expect(await reasonOf(raw, { envelopeSender: PETER, notification })).toBe('unauthenticated-sender');
      },
    );

    it('does not take SES’s DKIM PASS alone for a pass of the sender’s domain', async () => {
      const raw = peterWith(spf('none'), 'dkim=pass header.d=bulk-sender.example');
      const notification = { spf: 'GRAY' as const, dkim: 'PASS' as const };
      expect(await reasonOf(raw, { envelopeSender: PETER, notification })).toBe('unauthenticated-sender');
    });

    it('does not answer when SES’s SPF verdict is FAIL and no aligned DKIM signature passed', async () => {
      const raw = peterWith(spf('fail'), 'dkim=none');
      expect(
        await reasonOf(raw, { envelopeSender: PETER, notification: { spf: 'FAIL', dkim: 'GRAY' } }),
      ).toBe('authentication-failed');
    });

    it('answers when SES’s SPF verdict is PASS: it is about the MAIL FROM SES saw', async () => {
      const raw = peterWith('dkim=none');
      expect(
        await reasonOf(raw, { envelopeSender: PETER, notification: { spf: 'PASS', dkim: 'GRAY' } }),
      ).toBe('eligible');
    });

    it('answers when SPF fails but a DKIM signature of the sender’s domain passes (a forward)', async () => {
      const raw = peterWith(spf('fail'), 'dkim=pass header.i=@icloud.com');
      expect(
        await reasonOf(raw, { envelopeSender: PETER, notification: { spf: 'FAIL', dkim: 'PASS' } }),
      ).toBe('eligible');
    });
  });
});

describe('SRS-rewritten envelope senders', () => {
  it('answers a citizen whose forwarder rewrote the envelope sender, at that address', async () => {
    const decision = await decide('forwarded-srs-citizen-da.eml');
    expect(decision.autoReply.reason).toBe('eligible');
    expect(decision.replyTo).toBe('SRS0=Xq3v=T7=gmail.com=jonas.kjaer@alumni-mail.dk');
  });

  it.each([
    'SRS0=Xq3v=T7=gmail.com=jonas.kjaer@alumni-mail.dk',
    'SRS1=Hh9z=alumni-mail.dk==Xq3v=T7=gmail.com=jonas.kjaer@relay-mail.dk',
  ])('accepts %s as a reply address', (address) => {
    expect(isValidReplyAddress(address)).toBe(true);
  });

  it('answers an SRS1 address (forwarded twice) when SPF passed for the last forwarder', async () => {
    const srs1 = 'SRS1=Hh9z=alumni-mail.dk==Xq3v=T7=gmail.com=jonas.kjaer@relay-mail.dk';
    const decision = await decide('forwarded-srs-citizen-da.eml', {
      envelopeSender: srs1,
      notification: { spf: 'PASS' },
    });
    expect(decision).toMatchObject({ autoReply: { reason: 'eligible' }, replyTo: srs1 });
  });
});

describe('RFC 5230 §4.5: only mail addressed to us is answered', () => {
  const envelopeRecipients = ['ssidatabeskyttelse@ssi.dk'];
  const withTo = (to: string, ...more: string[]) =>
    addFields(removeFields(fixture('general-question-da.eml'), 'to'), 'sender', `To: ${to}`, ...more);

  it('does not answer a copy that reached us only through the envelope (Bcc)', async () => {
    expect(await reasonOf('bcc-copy-not-addressed-to-us-da.eml', { envelopeRecipients })).toBe(
      'not-addressed-to-us',
    );
  });

  it.each([
    ['Cc', withTo('venner@privat.example', 'Cc: Databeskyttelse <SSIdatabeskyttelse@ssi.dk>')],
    ['Bcc', withTo('venner@privat.example', 'Bcc: ssidatabeskyttelse@ssi.dk')],
    ['Resent-To', withTo('venner@privat.example', 'Resent-To: ssidatabeskyttelse@ssi.dk')],
    ['Resent-Cc', withTo('venner@privat.example', 'Resent-Cc: a@privat.example, ssidatabeskyttelse@ssi.dk')],
    ['Resent-Bcc', withTo('venner@privat.example', 'Resent-Bcc: ssidatabeskyttelse@ssi.dk')],
    ['a second To field', withTo('venner@privat.example', 'To: "SSI" <ssidatabeskyttelse@ssi.dk>')],
    ['a group in To', withTo('Databeskyttelse: ssidatabeskyttelse@ssi.dk;')],
  ])('answers mail that names our address in %s', async (_, raw) => {
    expect(await reasonOf(raw, { envelopeSender: PETER, envelopeRecipients })).toBe('eligible');
  });

  it('counts a configured alias as ours', async () => {
    const raw = withTo('dpo@ssi.dk');
    const config = configWithOverrides({ reply: { aliases: ['dpo@ssi.dk'] } }, DEFAULT_CONFIG, 'test');
    expect(await reasonOf(raw, { envelopeSender: PETER, envelopeRecipients })).toBe('not-addressed-to-us');
    expect(await reasonOf(raw, { envelopeSender: PETER, envelopeRecipients, config })).toBe('eligible');
  });

  it('counts the envelope recipient SES received for as ours (receipt.recipients)', async () => {
    const raw = withTo('persondata@ssi.dk');
    expect(await reasonOf(raw, { envelopeSender: PETER, envelopeRecipients })).toBe('not-addressed-to-us');
    expect(await reasonOf(raw, { envelopeSender: PETER, envelopeRecipients: ['persondata@ssi.dk'] })).toBe(
      'eligible',
    );
  });

  it.each(['Delivered-To', 'X-Original-To'])(
    'counts the envelope recipient in %s as ours when there is no SES receipt (the CLI)',
    async (field) => {
      const raw = addFields(withTo('persondata@ssi.dk'), 'top', `${field}: persondata@ssi.dk`);
      expect(await reasonOf(raw, { envelopeSender: PETER })).toBe('eligible');
      expect(await reasonOf(withTo('persondata@ssi.dk'), { envelopeSender: PETER })).toBe(
        'not-addressed-to-us',
      );
    },
  );

  it('does not let a Delivered-To outside our domains make a stranger’s address ours', async () => {
    const raw = addFields(withTo('victim@privat.example'), 'top', 'Delivered-To: victim@privat.example');
    expect(await reasonOf(raw, { envelopeSender: PETER })).toBe('not-addressed-to-us');
  });

  it('routes the Bcc copy all the same, with the reason recorded', async () => {
    const { record, replyJob } = await triage(
      fixture('bcc-copy-not-addressed-to-us-da.eml'),
      {
        sesMessageId: 'bcc-1',
        receivedAt: new Date('2026-11-27T12:30:40Z'),
        envelopeSender: 'ole.friis@mail.dk',
        envelopeRecipients,
        verdicts: { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' },
      },
      DEFAULT_CONFIG,
    );
    expect(record.topic).toBe('general');
    expect(record.autoReply).toEqual({ decision: 'suppress', reason: 'not-addressed-to-us', template: null });
    expect(replyJob).toBeNull();
  });
});

describe('isValidReplyAddress', () => {
  it.each(['anna@gmail.com', 'a.b+tag@sub.example.co.uk', 'x@ssi.dk', "o'brien@example.ie"])(
    'accepts %s',
    (address) => {
      expect(isValidReplyAddress(address)).toBe(true);
    },
  );
  it.each([
    '',
    'no-at-sign',
    'a@b',
    'a b@example.com',
    'a@example.com\r\nBcc: x@example.com',
    'a@-bad-.com',
    '.a@example.com',
    'a..b@example.com',
    '"quoted"@example.com',
    'a@b@example.com',
  ])('rejects %j', (address) => {
    expect(isValidReplyAddress(address)).toBe(false);
  });
});
