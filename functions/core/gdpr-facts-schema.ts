import * as z from 'zod';
import { GDPR_RIGHTS } from './types.js';

// The GDPR facts of a mail (right, article, deadlines) as a schema. Its own module, since
// the TriageRecord schema and the reply job's both embed it, and auto-reply should not
// build the whole record schema at every cold start to get this part.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const gdprFactsSchema = z
  .object({
    right: z.enum(GDPR_RIGHTS),
    article: z.number().int(),
    receivedOn: isoDate,
    dueOn: isoDate,
    extendedDueOn: isoDate,
    extensionNoticeBy: isoDate,
  })
  .strict();
