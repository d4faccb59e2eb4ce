// Package defaulttheme is casebook's built-in theme: HTML templates and
// static assets, embedded in the binary so a build needs nothing else. A
// library overrides any file by putting one at the same path under its
// own theme/ folder.
package defaulttheme

import "embed"

// FS holds templates/ and static/.
//
//go:embed templates static
var FS embed.FS
