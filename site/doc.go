// Package site is casebook's model of a review library and its assembly.
//
// Data flows one way:
//
//	fs.FS → Parse → *Library → Assemble → *Site → render.New(site, theme).Render → Output
//
// Load is Parse then Assemble. Nothing in this package touches the
// operating system's file system, runs processes it is not handed, or
// knows about HTTP, search engines, flags or file watching; the layers
// above it (cmd/casebook, internal/preview, index, site/render,
// site/lint) depend on it, never the other way round.
//
//   - Parse reads casebook.yaml (Config), finds which files are reviews,
//     paths and profiles (Layout), reads every file once, decodes front
//     matter (package site/frontmatter) and renders the bodies of the
//     reviews the build publishes (package site/internal/markdown, which
//     highlights code with site/internal/highlight). Its Library keeps
//     what it found, problems included; with Options.Syntax it also keeps
//     each review's front matter tree and body outline, which casebook
//     check's rules (package site/lint) read instead of parsing again.
//   - Assemble links the parse into the cross-linked model (model.go):
//     taxonomies and terms, related reviews and backlinks, people and their
//     expertise, follow-ups, training paths, who was on call and how each
//     person took part (participation.go), each review's depth (depth.go:
//     what it shows of the work behind it, readers from readers.csv and
//     Options.Readers) and insights. Every problem in
//     the library is an Error carrying path:line:col (package site/diag),
//     and Assemble returns them all at once, sorted, as an ErrorList.
//   - Package site/render executes a theme against the Site. The model
//     holds data only (no markup but the rendered Markdown), so the theme
//     decides how everything looks. The site is identical for identical
//     input: maps are never iterated unsorted, and "now" comes from
//     Options.Now (SOURCE_DATE_EPOCH in the CLI).
//
// Drafts and restricted reviews are dropped during Parse unless the
// options ask for them, so no later stage can leak them into a page, list,
// feed, count or related list. Nominations (status: nominated) are set
// apart there too, and reach the site only as Site.Nominations.
//
// Parse, Load and render stop handing out work when their context ends.
// The preview server adds a third way in: with Options.Cache, a Load after
// an edit re-parses only changed files, and before that, Site.PatchReview
// links one edited review into the current model for its own page (see
// its doc for what it may and may not change).
package site
