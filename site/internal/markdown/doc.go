// Package markdown renders casebook's Markdown: GitHub-flavoured Markdown
// with footnotes, plus the extensions a review library needs, written as
// goldmark extensions.
//
//   - An AST transformer (bodyTransformer) that, in one walk after the
//     parse, takes the title heading out (see below), points links to review
//     files at their pages (and reports links to reviews that do not
//     exist), points links into static/ at the site root, turns
//     ```timeline blocks and tables under a "Timeline" heading into
//     timelines, links @mentions to people's pages, and gathers the table
//     of contents, every heading, the lead paragraph and the plain text.
//   - Node renderers for code (highlighted by package highlight),
//     timelines, and headings with a self-link.
//   - An autolink parser behind a cheap test of each word (quickLinkify).
//
// # Bodies casebook understands
//
// Beyond its own syntax, Render reads the shapes real postmortems take
// (Google SRE, HOWIE, wiki exports, no front matter) into Body.Structure,
// Body.Timeline, Body.Assets and Body.Notes. Package site decides, field
// by field, whether front matter wins; every inference is a located Fact
// or Note, never an error.
//
// Title (Structure.Title, Body.H1): among the first three headings, the
// first H1 whose words are not a section word leaves the body and is the
// title. Section words are the names in sectionWords (summary, overview,
// metadata, timeline, impact, action items, incident report, postmortem,
// lessons learned, …, compared without case, a leading number or a
// trailing colon): such an H1 stays in the body as a section. "# Title:
// X" gives X; a bare "# Title:" gives the paragraph under it, which
// leaves too. A date before the title ("# 24-10-2024 - Title", "#
// 2024-03-13: Title") is Structure.Date and leaves the title. Body.H1 is
// the title the heading gives ("" when none left the body), so a caller
// that used it as the fallback title keeps working. Without such an H1, a
// "Title:" line (bold or plain, paragraph, list item or header table).
//
// Summary (Structure.Summary): the first paragraph of a Summary, Issue
// summary, Incident summary, Overview, TL;DR or Executive summary
// section; else a "Summary:" line; else the first real paragraph: at
// least four words and not a link- or image-only line, a byline ("By …",
// "Author: …"), a severity line or a key/value line. Body.Lead is
// unchanged: the first top-level paragraph.
//
// Timelines: besides ```timeline blocks (unchanged: they give kinds, and
// a bad line is an error), any heading whose text contains "timeline"
// ("Timeline (UTC)", "Incident timeline") is read. The first table under
// it is a timeline when its header names a time column ("Time", "When",
// "Timestamp") or Date and Time columns, or when, unnamed, its first
// column begins with a time in some row; a "Kind"/"Type" column gives
// kinds. Without a table, bullets and paragraphs whose lines begin with
// a time are events ("- **16:58 UTC** - text", "- 24-10-2024 04:00 -
// text", "**June 14th, 2022, 10:00 AM:** text"); prose before the first
// and after the last timed block stays prose. Times are read leniently
// (see lenient): ISO, day-first with dashes, month-first with slashes,
// month names, AM/PM, zone abbreviations, "~19:30", "10:45~", ranges
// ("09:00 - 11:00", "12:26-12:??") by their start, date-only rows (a day,
// Event.DateOnly, which dates the HH:MM rows after it). A placeholder row
// ("2024-03-13 HH:mm") is skipped. A row whose time cannot be read
// ("14:??"), or a clock time with no date known, is never dropped: it
// stays in order as an event with a zero Time and Event.When as written,
// and a Note at its line ("timeline: cannot read the time …; kept without
// a time"). HH:MM rows are dated from the caller's base, else from the
// date the body states before its timeline. Kinds not given are inferred
// from the words (kindWords: detected/alert/paged → detection, rolled
// back/restarted/fixed → repair, declared/status page/email →
// communication, resolved/recovered → repair, started/began/caused →
// trigger, found/identified → diagnosis, else note) and marked
// Event.InferredKind.
//
// Sections (Structure): items of an action-items section (Action items,
// Follow-ups, Corrective and preventative measures, Remediation, Next
// steps) are FollowUps: "- [x]" is done, "- [ ]" and plain items open;
// the owner from "(owner: X)", "(@x, …)", a trailing "@x" or "— Name", or
// an Owner column of a table, whose rows are items. Attendees, Responders,
// Team and Participants give People (one a bullet or comma-separated,
// roles in parentheses or after " - " dropped), as do "Team:" lines. The
// first word of a Severity section or a "Severity:" line is the Severity.
// Contributing factors bullets are Factors. Key/value lines ("**Date:**
// 2024-03-13", "- Systems: a, b") and two-column header tables (| Date |
// 2024-03-13 |) fill Date, Started, Detected, Resolved, Severity, Title
// and Summary for the keys in keyFor, and Fields by lower-case key (split
// on commas, dates and titles not). A key casebook does not know is kept
// only where the body is a header: before its first section, in a
// metadata section, or in a block of several such lines. Date, without a
// date line or heading, is the Start or Detected line, then the first
// dated timeline event. Sections holds every section's plain text.
//
// Assets (with Config.File): every image a body references (Markdown
// images and <img src> in raw HTML), relative or root-absolute ("/x"
// means the library root), and every link to a library file that is not
// Markdown, is resolved to a library path; when the file exists it is in
// Body.Assets and its URL becomes BasePath + path. static/ files keep
// their place at the site root and a bundle's own files stay beside its
// page. A missing image is a Note at its line. http(s) and data: URLs are
// left alone.
//
// Raw HTML, without Config.UnsafeHTML, is sanitised (bluemonday, see
// sanitizer) instead of dropped; HTML that sanitises to nothing (a
// comment, a script) still renders as "<!-- raw HTML omitted -->", so
// bodies without raw HTML render exactly as before.
//
// Links to a Markdown file of the library that is not a review (a
// README, a runbook) are not errors: they go to Config.Forge's URL for
// the file, or keep their words without the link, with a Note. A link to
// a .md path that does not exist is still an error.
//
// It returns neutral types (Body, Heading, Timeline, Event): the model in
// package site turns them into its own, linking people and reviews. It
// knows nothing of how a library is laid out beyond what Config and the
// link Targets tell it.
package markdown
