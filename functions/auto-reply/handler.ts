import { autoReplyHandlerFrom } from './from-environment.js';

// Configuration is validated here, at cold start: a bad environment fails loudly, naming
// the variable, before any message is taken from the queue.
export const handler = autoReplyHandlerFrom(process.env);
