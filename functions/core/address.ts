/**
 * The lower-cased domain of an address, or null when there is no usable one. Plain string
 * work, apart from domains.ts, so code that only needs this does not load the public
 * suffix list.
 */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1) return null;
  return address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
}
