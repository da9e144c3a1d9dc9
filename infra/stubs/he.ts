// Stands in for `he` in the deployed bundles (see bundling.ts). mailparser imports it only
// to HTML-escape address names and header values for the `html` and `textAsHtml` views,
// which triage never reads; the full entity tables cost every function about 87 kB.
// Escaping the characters that matter in HTML keeps those views safe were they ever used.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
};

function encode(text: string): string {
  return String(text).replace(/[&<>"'`]/g, (character) => ESCAPES[character] ?? character);
}

function decode(): never {
  throw new Error('he.decode is not in the deployed bundles (infra/stubs/he.ts)');
}

export default { encode, decode, escape: encode };
