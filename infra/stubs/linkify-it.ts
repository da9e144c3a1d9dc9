// Stands in for linkify-it in the deployed bundles (see bundling.ts). mailparser builds a
// linkify-it instance when it is loaded, compiling its large URL patterns with the full
// list of top-level domains, but uses it only to turn links in the text into HTML
// anchors. parseMail switches that conversion off (skipTextToHtml, skipTextLinks), so the
// real matcher would cost every cold start about 13 ms and never run. This one is
// configured the same way and finds no links: were it ever asked, the text would simply
// stay unlinked.

interface LinkMatcher {
  tlds(...args: unknown[]): LinkMatcher;
  add(...args: unknown[]): LinkMatcher;
  set(...args: unknown[]): LinkMatcher;
  test(text: string): boolean;
  pretest(text: string): boolean;
  match(text: string): null;
}

export default function linkifyIt(): LinkMatcher {
  const matcher: LinkMatcher = {
    tlds: () => matcher,
    add: () => matcher,
    set: () => matcher,
    test: () => false,
    pretest: () => false,
    match: () => null,
  };
  return matcher;
}
