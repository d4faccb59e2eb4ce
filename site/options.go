package site

import "time"

// Options control what a load includes.
type Options struct {
	// Drafts includes reviews with status: draft (the preview server).
	Drafts bool
	// IncludeRestricted includes reviews with visibility: restricted.
	IncludeRestricted bool
	// Now is the present for "overdue" and similar judgements. The CLI sets
	// it from SOURCE_DATE_EPOCH when given so builds are reproducible.
	Now time.Time
	// FirstCommit returns the time of a library path's first Git commit; it
	// supplies dates for reviews that give none. The caller runs Git, and
	// it is only called when some review needs it.
	FirstCommit func(path string) (time.Time, bool)
	// ShallowHistory says the library is a shallow clone (a CI checkout's
	// default), where every file's first commit is the clone's one: dates
	// from Git are then said to be unreliable wherever they are used.
	ShallowHistory bool
	// BaseURL, when set, overrides casebook.yaml's baseURL (a deploy
	// preview's address, or the preview server's).
	BaseURL string
	// Skip lists folders of the library not to read, such as an output
	// folder placed inside it.
	Skip []string
	// Cache, when set, keeps parsed reviews between loads so that the
	// preview server re-parses only what changed.
	Cache *Cache
	// NoText leaves reviews' plain text empty. Only a search index reads it, and a
	// large library's text is a fifth of the heap a build keeps.
	NoText bool
	// Syntax keeps what casebook check reads of every review: its front
	// matter tree and its body's outline (what casebook check reads).
	Syntax bool
	// AsBuilt keeps Drafts and IncludeRestricted from making valid what
	// a build without them rejects: a training path's step naming a
	// draft or restricted review stays an error. casebook check includes
	// every review so as to validate it, and must still fail every
	// library that casebook build fails.
	AsBuilt bool
	// Readers are counted readers by slug (casebook build --readers, the
	// production server's --count-readers), over the library's readers.csv
	// and under a review's own readers:.
	Readers ReaderCounts
}
