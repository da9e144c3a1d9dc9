import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { type RawMailSender, SendRejected } from '../core/ports.js';

// SES v1 errors that no retry can fix. Throttling, 5xx and network errors are not here:
// they propagate, and the message goes back to its queue.
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'InvalidParameterValue',
  'ConfigurationSetDoesNotExistException',
]);

export class SesRawMailSender implements RawMailSender {
  constructor(private readonly ses: SESClient) {}

  async send(raw: Buffer, from: string, to: string[]): Promise<void> {
    try {
      await this.ses.send(
        new SendRawEmailCommand({ RawMessage: { Data: raw }, Source: from, Destinations: to }),
      );
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (PERMANENT.has(name)) throw new SendRejected(name);
      throw error;
    }
  }
}
