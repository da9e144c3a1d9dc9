import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';

/**
 * Sends each sample mail through SMTP to the local pipeline, with the envelope sender
 * its Return-Path (or From) names, so a newcomer sees every topic at once.
 */
export async function seedSampleMails(
  smtpPort: number,
  recipient: string,
  directory: string,
): Promise<number> {
  const transport = createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  try {
    const files = (await readdir(directory)).filter((name) => name.endsWith('.eml')).sort();
    for (const name of files) {
      const raw = await readFile(join(directory, name));
      await transport.sendMail({ envelope: { from: await envelopeSender(raw), to: [recipient] }, raw });
    }
    return files.length;
  } finally {
    transport.close();
  }
}

async function envelopeSender(raw: Buffer): Promise<string> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
  const returnPath = mail.headers.get('return-path');
  const fromReturnPath =
    returnPath && typeof returnPath === 'object' && 'value' in returnPath && Array.isArray(returnPath.value)
      ? returnPath.value[0]?.address
      : undefined;
  return fromReturnPath || mail.from?.value[0]?.address || 'unknown@example.invalid';
}
