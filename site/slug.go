package site

import "github.com/casebook/casebook/site/internal/slug"

// Slugify makes a URL path segment: lower case, unicode letters and digits
// kept, every run of anything else folded to one '-'.
func Slugify(s string) string { return slug.Make(s) }

// Normalize is the identity of a term or person: case, spaces, '_' and '-'
// fold, so "Config_Change", "config change" and " config-change " are one.
// It is the same as Slugify, which keeps term URLs and identities in step.
func Normalize(s string) string { return slug.Make(s) }
