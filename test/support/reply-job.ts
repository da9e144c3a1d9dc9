import type { ReplyJob } from '../../functions/core/queue-messages.js';

/** A replies-queue job as intake builds it for a citizen's mail; tests override what they examine. */
export function replyJob(overrides: Partial<ReplyJob> = {}): ReplyJob {
  return {
    sesMessageId: '0100018e0d7c2b1a-5f1e9c3a-7b2d-4e8f-9a01-3c5d7e9f1b2a-000000',
    to: 'jens.hansen@gmail.com',
    template: 'general',
    subject: 'Spørgsmål om mine oplysninger',
    inReplyTo: '<CAF3x9Qm1@mail.gmail.com>',
    references: ['<CAF1a2Bc3@mail.gmail.com>'],
    cprWarning: false,
    gdpr: null,
    reference: 'SSI-DB-2026-4K7QM-2XP9C',
    forwarded: false,
    receivedAt: '2026-03-05T09:15:00.000Z',
    ...overrides,
  };
}
