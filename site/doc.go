// Package site is casebook's domain: it turns a review library into a site.
//
// A library is read from an fs.FS (see Load); nothing in this package touches
// the operating system's file system, runs processes it is not handed, or
// knows about HTTP, search engines or file watching. The layers above it
// (cmd/casebook and index) depend on site, never the other way round.
//
// Building is two phases:
//
//   - Load reads casebook.yaml, every review, path and profile, parses front
//     matter and Markdown, resolves links between reviews, and assembles the
//     cross-linked model: taxonomies and terms, related reviews and backlinks,
//     people, follow-ups, training paths and insights. Every problem in the
//     library is collected as an Error carrying path:line:col, and Load
//     returns them all at once as an ErrorList.
//   - Package site/render, above this one, executes a theme (an fs.FS
//     holding templates/ and static/) against that model and hands every
//     output file to an Output. The model holds data only (no markup but
//     the rendered Markdown), so the theme decides how it looks. The site
//     is identical for identical input: maps are never iterated unsorted, and
//     "now" comes from Options.Now (SOURCE_DATE_EPOCH in the CLI).
//
// Drafts and restricted reviews are dropped during Load unless the options
// ask for them, so no later phase can leak them into a page, list, feed,
// count or related list.
//
// The preview server adds a third way in: with Options.Cache, a Load after
// an edit re-parses only changed files, and before that, Site.PatchReview
// links one edited review into the current model for its own page (see
// its doc for what it may and may not change).
package site
