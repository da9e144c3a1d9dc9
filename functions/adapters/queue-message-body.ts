/**
 * A queue message body as JSON with every character outside the Basic Multilingual Plane
 * written as a `\u` escape pair. SQS takes #x10000–#x10FFFF, but not every tool on the way
 * does (the local emulator rejects them as InvalidMessageContents), and a mail's subject,
 * file name or PDF text can hold emoji or rarer scripts; escaped, the body is the same JSON
 * to every consumer and one character set to every transport.
 */
export function queueMessageBody(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u{10000}-\u{10FFFF}]/gu,
    (character) =>
      `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}\\u${character.charCodeAt(1).toString(16).padStart(4, '0')}`,
  );
}
