// Package markdown renders casebook's Markdown: GitHub-flavoured Markdown
// with footnotes, plus the extensions a review library needs, written as
// goldmark extensions.
//
//   - An AST transformer (bodyTransformer) that, in one walk after the
//     parse, takes the first H1 out as the title, points links to review
//     files at their pages (and reports links to reviews that do not
//     exist), points links into static/ at the site root, turns
//     ```timeline blocks and tables under a "Timeline" heading into
//     timelines, links @mentions to people's pages, and gathers the table
//     of contents, every heading, the lead paragraph and the plain text.
//   - Node renderers for code (highlighted by package highlight),
//     timelines, and headings with a self-link.
//   - An autolink parser behind a cheap test of each word (quickLinkify).
//
// It returns neutral types (Body, Heading, Timeline, Event): the model in
// package site turns them into its own, linking people and reviews. It
// knows nothing of how a library is laid out beyond what Config and the
// link Targets tell it.
package markdown
