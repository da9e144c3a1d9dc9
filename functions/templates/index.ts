import type { ReplyTemplate } from '../core/types.js';
import { DATA_SUBJECT_REQUEST_REPLY } from './data-subject-request.js';
import { FRAUD_SMS_REPLY } from './fraud-sms.js';
import { GENERAL_REPLY } from './general.js';
import { PROCESSING_NOTICE_REPLY } from './processing-notice.js';
import type { ReplyTexts } from './reply-texts.js';

export { formatDate } from './dates.js';
export { AUTOMATIC_REPLY_NOTE, DIGITAL_POST_STEPS, LINK_HOSTS, LINKS } from './digital-post.js';
export {
  ENGLISH_BELOW,
  REPLY_HEADINGS,
  REPLY_SUBJECT_PREFIX,
  replyHtml,
  replySubject,
  replyText,
} from './reply-layout.js';
export {
  type Bilingual,
  type Block,
  blockText,
  escapeHtml,
  LANGUAGES,
  type Language,
  type RenderedText,
  type ReplyFacts,
  type ReplyTexts,
} from './reply-texts.js';
export { NOT_BY_EMAIL } from './secure-channel.js';

/** Every reply template by id; a missing template is a compile error, not a runtime one. */
export const REPLY_TEXTS: Record<ReplyTemplate, ReplyTexts> = {
  'fraud-sms': FRAUD_SMS_REPLY,
  'data-subject-request': DATA_SUBJECT_REQUEST_REPLY,
  'processing-notice': PROCESSING_NOTICE_REPLY,
  general: GENERAL_REPLY,
};
