// Stands in for the `tlds` list in the deployed bundles (see bundling.ts): mailparser
// loads it only to configure its link finder, which the bundles replace with
// stubs/linkify-it.ts. Links in fraud reports are recognised with the public suffix list
// (tldts) in the core, not with this list.
export default [] as string[];
