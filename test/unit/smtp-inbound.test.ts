import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/core/default-config.js';
import { triage } from '../../functions/core/triage.js';
import type { InboundMail } from '../../local/ses-inbound.js';
import { isLoopback, type SmtpInbound, startSmtpInbound, verdictsOf } from '../../local/smtp-inbound.js';
import { fixture } from '../support/fixtures.js';

// The local SMTP stand-in for SES inbound, on its own (no emulators): what it stores and
// reports for mail without SES's verdict headers, sent from this machine.

const MAILBOX = 'ssidatabeskyttelse@ssi.dk';
const received: Array<InboundMail & { messageId: string }> = [];
let inbound: SmtpInbound;

beforeAll(async () => {
  inbound = await startSmtpInbound({
    host: '127.0.0.1',
    port: 0,
    config: DEFAULT_CONFIG,
    deliver: async (mail) => {
      received.push(mail);
    },
  });
});

afterAll(async () => {
  await inbound?.stop();
});

async function send(raw: Buffer | string, from: string): Promise<InboundMail & { messageId: string }> {
  const transport = createTransport({
    host: '127.0.0.1',
    port: inbound.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ envelope: { from, to: [MAILBOX] }, raw });
  } finally {
    transport.close();
  }
  const mail = received.at(-1);
  if (!mail) throw new Error('nothing stored');
  return mail;
}

const plainMail = [
  'From: Anna Lind <anna.lind@gmail.com>',
  `To: ${MAILBOX}`,
  'Subject: Et spørgsmål',
  'Message-ID: <swaks-1@gmail.com>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hej, hvordan skriver jeg sikkert til jer?',
  '',
].join('\r\n');

describe('the local SMTP stand-in for SES inbound', () => {
  it('trusts mail submitted from loopback: writes an SPF pass for its MAIL FROM and reports SPF PASS', async () => {
    const stored = await send(plainMail, 'anna.lind@gmail.com');
    expect(stored.verdicts).toMatchObject({ spf: 'PASS', dkim: 'GRAY', spam: 'PASS', virus: 'PASS' });
    expect(stored.raw.toString()).toMatch(
      /^Return-Path: <anna\.lind@gmail\.com>\r\nReceived: [\s\S]*\r\nAuthentication-Results: amazonses\.com;\r\n spf=pass \(local stand-in for SES: trusts mail submitted from loopback\) smtp\.mailfrom=anna\.lind@gmail\.com\r\nFrom: /,
    );
  });

  it('so a developer’s test mail is answered, as mail from an authenticated sender would be', async () => {
    const stored = await send(plainMail, 'anna.lind@gmail.com');
    const { record } = await triage(
      stored.raw,
      {
        sesMessageId: stored.messageId,
        receivedAt: new Date(),
        envelopeSender: stored.envelopeSender,
        envelopeRecipients: stored.recipients,
        verdicts: stored.verdicts,
      },
      DEFAULT_CONFIG,
    );
    expect(record.autoReply).toEqual({ decision: 'send', reason: 'eligible', template: 'general' });
    // The CLI and a replay, reading only the stored headers, come to the same decision.
    const { record: replayed } = await triage(
      stored.raw,
      { sesMessageId: stored.messageId, receivedAt: new Date() },
      DEFAULT_CONFIG,
    );
    expect(replayed.autoReply.reason).toBe('eligible');
  });

  it('reports the verdicts a sample mail carries from SES, and adds nothing of its own', async () => {
    const stored = await send(fixture('forged-sender-spf-softfail.eml'), 'karin.mortensen@gmail.com');
    expect(stored.verdicts).toMatchObject({ spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' });
    expect(stored.raw.toString()).not.toContain('local stand-in');
  });

  it('trusts no other address and no null sender', async () => {
    const raw = Buffer.from(plainMail);
    const remote = await verdictsOf(
      raw,
      { remoteAddress: '192.0.2.10' },
      'anna.lind@gmail.com',
      DEFAULT_CONFIG,
    );
    expect(remote).toEqual({
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' },
      authenticationResults: null,
    });
    const nullSender = await verdictsOf(raw, { remoteAddress: '127.0.0.1' }, '', DEFAULT_CONFIG);
    expect(nullSender.authenticationResults).toBeNull();
  });

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.10', false],
    ['::ffff:10.0.0.1', false],
    ['', false],
  ])('takes %j for loopback: %s', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });
});
