import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { readAuthentication } from '../functions/core/authentication.js';
import type { TriageConfig } from '../functions/core/config.js';
import { parseMail } from '../functions/core/parse.js';
import type { Authentication } from '../functions/core/types.js';
import { PortInUse } from './emulators.js';
import { type InboundMail, sesMessageId } from './ses-inbound.js';

// An SMTP listener standing in for SES inbound: the receipt rule's recipient check (550
// for anyone else), SES's size limit (552), and the stored-mail header block SES prepends.

export interface SmtpInboundOptions {
  host: string;
  port: number;
  config: TriageConfig;
  /** Called once per accepted mail; a rejection becomes an SMTP 451 (try again later). */
  deliver: (mail: InboundMail & { messageId: string }) => Promise<void>;
}

export interface SmtpInbound {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSmtpInbound(options: SmtpInboundOptions): Promise<SmtpInbound> {
  const recipients = new Set(options.config.recipients.map((address) => address.toLowerCase()));
  const server = new SMTPServer({
    name: 'inbound-smtp.local',
    banner: 'local SES inbound stand-in',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.config.limits.maxMailBytes,
    rejectOversized: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (recipients.has(address.address.toLowerCase())) return callback();
      const error = new Error('Recipient address rejected: not a receiving address here') as Error & {
        responseCode: number;
      };
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, session, callback) {
      readMessage(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded) return callback();
          const messageId = sesMessageId();
          const envelopeSender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const accepted = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          const receivedAt = new Date();
          const stored = Buffer.concat([
            sesHeaderBlock(session, envelopeSender, accepted, messageId, receivedAt),
            raw,
          ]);
          await options.deliver({
            raw: stored,
            envelopeSender,
            recipients: accepted,
            receivedAt,
            messageId,
            verdicts: await verdictsOf(raw, options.config),
          });
          callback(null, `Ok: queued as ${messageId}`);
        })
        .catch(() => {
          const error = new Error('Temporary failure storing the message') as Error & {
            responseCode: number;
          };
          error.responseCode = 451;
          callback(error);
        });
    },
  });

  await new Promise<void>((resolve, reject) => {
    // smtp-server re-emits its net.Server's errors, a taken port among them.
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUse('smtp', options.host, options.port) : error);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', () => {
    // Client-level errors (resets, timeouts) are the client's problem, not the pipeline's.
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${options.host}:${port}`,
    port,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readMessage(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) if (!stream.sizeExceeded) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The block SES writes on top of each stored mail (Return-Path and its Received line). */
function sesHeaderBlock(
  session: SMTPServerSession,
  envelopeSender: string,
  recipients: string[],
  messageId: string,
  receivedAt: Date,
): Buffer {
  const client = session.clientHostname || 'unknown';
  const lines = [
    `Return-Path: <${envelopeSender}>`,
    `Received: from ${client} (${client} [${session.remoteAddress}])`,
    ` by inbound-smtp.local with SMTP id ${messageId}`,
    ` for ${recipients[0] ?? ''};`,
    ` ${receivedAt.toUTCString().replace('GMT', '+0000')} (UTC)`,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

/**
 * This stand-in scans nothing and checks no SPF or DKIM. Sample mails carry the verdict
 * headers SES wrote when they were received, so it reports those; anything else gets
 * PASS for scanning and GRAY (not checked) for authentication. Real SES writes its own.
 */
async function verdictsOf(raw: Buffer, config: TriageConfig): Promise<Partial<Authentication>> {
  const head = raw.subarray(0, 64 * 1024);
  const mail = await parseMail(head, { maxMailBytes: head.length || 1, maxTextChars: 1_000 });
  const found = readAuthentication(mail.headerLines, config.receivingHost);
  const known = (
    status: Authentication[keyof Authentication],
    fallback: Authentication[keyof Authentication],
  ) => (status === 'UNKNOWN' ? fallback : status);
  return {
    spam: known(found.spam, 'PASS'),
    virus: known(found.virus, 'PASS'),
    spf: known(found.spf, 'GRAY'),
    dkim: known(found.dkim, 'GRAY'),
    dmarc: known(found.dmarc, 'GRAY'),
  };
}
