package site

import (
	"strings"
	"unicode"
)

// Slugify makes a URL path segment: lower case, unicode letters and digits
// kept, every run of anything else folded to one '-'.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// Normalize is the identity of a term or person: case, spaces, '_' and '-'
// fold, so "Config_Change", "config change" and " config-change " are one.
// It is the same as Slugify, which keeps term URLs and identities in step.
func Normalize(s string) string { return Slugify(s) }
