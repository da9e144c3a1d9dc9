import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';

// What a person sees of a mail we composed, for a terminal: the headers that matter, the
// plain-text part decoded (MIME carries it base64 or quoted-printable), text attachments
// such as the calendar file decoded, other attachments named. `--raw` shows the MIME itself.

const TEXT_ATTACHMENT = /^text\//i;

export async function showMail(raw: Buffer): Promise<string> {
  const mail = await simpleParser(raw);
  const lines: string[] = [];
  const header = (name: string, value: string | undefined | null) => {
    if (value) lines.push(`${name}: ${value}`);
  };
  header('From', addressText(mail.from));
  header('To', addressText(mail.to));
  header('Reply-To', addressText(mail.replyTo));
  header('Subject', mail.subject);
  header('Date', mail.date?.toISOString());
  header('Message-ID', mail.messageId);
  header('In-Reply-To', mail.inReplyTo);
  header('References', [mail.references ?? []].flat().join(' '));
  header('Auto-Submitted', headerText(mail.headers.get('auto-submitted')));
  header('Content-Language', headerText(mail.headers.get('content-language')));

  lines.push('', mail.text?.trimEnd() ?? '(no plain-text part)');
  if (typeof mail.html === 'string') {
    lines.push('', `[HTML alternative: ${mail.html.length} characters; --raw shows it]`);
  }
  for (const attachment of mail.attachments) {
    const name = attachment.filename ?? '(unnamed)';
    const described = `${name} (${attachment.contentType}, ${attachment.size} bytes)`;
    if (TEXT_ATTACHMENT.test(attachment.contentType)) {
      lines.push(
        '',
        `--- attachment ${described} ---`,
        attachment.content.toString('utf8').replace(/\r\n/g, '\n').trimEnd(),
      );
    } else {
      lines.push('', `[attachment ${described}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function addressText(field: AddressObject | AddressObject[] | undefined): string | undefined {
  if (!field) return undefined;
  return [field]
    .flat()
    .map((f) => f.text)
    .join(', ');
}

function headerText(value: HeaderValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String(value.value);
  return String(value);
}
