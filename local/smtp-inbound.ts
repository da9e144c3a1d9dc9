import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { TriageConfig } from '../functions/core/config.js';
import type { Authentication } from '../functions/core/types.js';
import { PortInUse } from './emulators.js';
import { carriedVerdicts, type InboundMail, sesMessageId } from './ses-inbound.js';

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
    // On stop, a connected client (a mail program keeps its connection open) gets this long
    // to finish its mail before 421; smtp-server's default, 30 s, would hold the port.
    closeTimeout: 1_000,
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
          const { verdicts, authenticationResults } = await verdictsOf(
            raw,
            session,
            envelopeSender,
            options.config,
          );
          const stored = Buffer.concat([
            sesHeaderBlock(session, envelopeSender, accepted, messageId, receivedAt, authenticationResults),
            raw,
          ]);
          await options.deliver({
            raw: stored,
            envelopeSender,
            recipients: accepted,
            receivedAt,
            messageId,
            verdicts,
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

/** The block SES writes on top of each stored mail (Return-Path, its Received line, its verdicts). */
function sesHeaderBlock(
  session: SMTPServerSession,
  envelopeSender: string,
  recipients: string[],
  messageId: string,
  receivedAt: Date,
  authenticationResults: string | null,
): Buffer {
  const client = session.clientHostname || 'unknown';
  const lines = [
    `Return-Path: <${envelopeSender}>`,
    `Received: from ${client} (${client} [${session.remoteAddress}])`,
    ` by inbound-smtp.local with SMTP id ${messageId}`,
    ` for ${recipients[0] ?? ''};`,
    ` ${receivedAt.toUTCString().replace('GMT', '+0000')} (UTC)`,
    ...(authenticationResults ? [authenticationResults] : []),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

/**
 * This stand-in scans nothing and checks no SPF or DKIM. Sample mails carry the verdict
 * headers SES wrote when they were received, so it reports those. Mail that carries none
 * gets PASS for scanning and GRAY (not checked) for authentication, with one exception:
 * the stand-in trusts mail submitted from loopback, the developer's own machine. For it,
 * it writes what SES writes after an SPF pass (`spf=pass … smtp.mailfrom=<MAIL FROM>` in
 * its Authentication-Results) and reports SPF PASS, so that a mail sent with swaks or a
 * mail client gets the reply it would get from a real, authenticated sender. Real SES
 * checks SPF and DKIM itself; nothing of this exists in the deployed system.
 */
export async function verdictsOf(
  raw: Buffer,
  session: Pick<SMTPServerSession, 'remoteAddress'>,
  envelopeSender: string,
  config: TriageConfig,
): Promise<{ verdicts: Partial<Authentication>; authenticationResults: string | null }> {
  const carried = await carriedVerdicts(raw, config.receivingHost);
  const scanning = { spam: carried.spam ?? 'PASS', virus: carried.virus ?? 'PASS' } as const;
  const hasAuthentication = carried.spf ?? carried.dkim ?? carried.dmarc;
  if (hasAuthentication || !isLoopback(session.remoteAddress) || !isPlainAddress(envelopeSender)) {
    return {
      verdicts: {
        ...scanning,
        spf: carried.spf ?? 'GRAY',
        dkim: carried.dkim ?? 'GRAY',
        dmarc: carried.dmarc ?? 'GRAY',
      },
      authenticationResults: null,
    };
  }
  return {
    verdicts: { ...scanning, spf: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    authenticationResults:
      `Authentication-Results: ${config.receivingHost};\r\n` +
      ` spf=pass (local stand-in for SES: trusts mail submitted from loopback) smtp.mailfrom=${envelopeSender}`,
  };
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const ip = address.replace(/^::ffff:/i, '');
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** Only a plain address goes into the header: nothing that could end it or start another. */
function isPlainAddress(address: string): boolean {
  return /^[^\s<>;()@]+@[A-Za-z0-9.-]+$/.test(address);
}
