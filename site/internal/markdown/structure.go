package markdown

// This file declares what a body tells about its review beyond its text,
// for the many real postmortems whose front matter is missing or foreign
// (see casebook's adoption of existing repositories). The transformer
// fills a Structure from the shapes such reviews take; package site
// decides, field by field, whether front matter, the body, the file name
// or Git wins, and notes each inference.

// Fact is a value read from a body, with where and how it was found.
type Fact struct {
	Value     string // as written, trimmed (dates are parsed by the caller)
	Line, Col int    // file position
	From      string // for the note to authors: "the first heading", "a Title: line"
}

// FollowUp is an action item found in a body's action-items section.
type FollowUp struct {
	Title string
	// Status is "done" for a ticked task-list item, "open" otherwise.
	Status string
	Owner  string // a name or initials given with the item, "" when none
	Line   int
}

// SectionText is the plain text of one section, for recognising terms in
// the review's own words.
type SectionText struct {
	Heading string
	Level   int
	Text    string
	Line    int
}

// Structure is what Render found in a body's shape.
type Structure struct {
	// Title: the first H1 that is not a section word ("# Overview"), else
	// a "Title:" line; nil when the body names none.
	Title *Fact
	// Date: a date the body states: a date prefix of its H1, a "Date:",
	// "Detected:" or "Start:" line or header-table cell, else its first
	// dated timeline event. Started, Detected and Resolved likewise, from
	// their own lines and cells. Values are as written.
	Date, Started, Detected, Resolved *Fact
	// Severity: the first word of a Severity section or line.
	Severity *Fact
	// Summary: the first paragraph of a Summary, Issue summary, Overview
	// or TL;DR section, else the first real paragraph (not a link-only
	// line, a byline or a severity line), as plain text.
	Summary *Fact
	// People: names or initials from Attendees, Responders or Team
	// sections and Team: lines.
	People []Fact
	// FollowUps: items of an Action items, Follow-ups, Corrective and
	// preventative measures or Remediation section.
	FollowUps []FollowUp
	// Factors: the bullets of a Contributing factors section.
	Factors []Fact
	// Fields: every key/value line and header-table row, by lower-case
	// key ("systems", "category", "time to detection", and the keys above
	// too, "date", "severity"): each value split on commas, but dates,
	// titles, summaries and severities.
	Fields map[string][]Fact
	// Sections: every section's plain text.
	Sections []SectionText
}
