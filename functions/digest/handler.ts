import { digestHandlerFrom } from './from-environment.js';

// Configuration is validated here, at cold start: a bad environment fails loudly, naming
// the variable, before the register is read.
export const handler = digestHandlerFrom(process.env);
