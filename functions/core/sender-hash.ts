import { createHash } from 'node:crypto';
import { replyWindowAddress } from './envelope-address.js';

/**
 * The sender of a case as the register knows it: a salted SHA-256 of the address folded as
 * the reply log folds it (replyWindowAddress: case, `+tag`, Gmail's dots, SRS), so that
 * "the same sender" survives spelling. It uses the reply log's salt (a secret, deployed),
 * under a purpose label of its own: a case's hash never equals the reply log's hash of the
 * same address, so the two tables cannot be joined on it.
 */
export function caseSenderHash(address: string, salt: string): string {
  return createHash('sha256')
    .update(salt)
    .update('\u0000')
    .update(`case-sender:${replyWindowAddress(address)}`)
    .digest('hex');
}
