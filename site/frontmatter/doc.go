// Package frontmatter reads the metadata at the top of a review, path or
// profile (YAML between --- lines, TOML between +++ lines) and
// casebook.yaml into a tree of positioned Nodes, so that a bad value is
// reported at its own line and column rather than at the top of the file.
//
// Split cuts a file into front matter and body; ParseYAML and ParseTOML
// parse; a Decoder reads typed fields (text, lists, dates, one-of words)
// out of a tree and reports each problem into a diag.Collector. The build,
// casebook check and casebook new all read front matter through this
// package, so they agree on what a file says.
//
// Most front matter is flat: strings, one-line lists and a list of
// follow-up mappings. ParseYAML reads that subset with a fast path of its
// own and gives everything else to the YAML parser; where the fast path
// accepts, its tree is the parser's, positions included (FuzzFastYAML).
package frontmatter
