// Package slug makes URL path segments and identities from names: the one
// rule by which review files, terms, people and headings get their URLs.
package slug

import (
	"strings"
	"unicode"
)

// Make makes a URL path segment: lower case, unicode letters and digits
// kept, every run of anything else folded to one '-'.
func Make(s string) string {
	// Most names and terms are slugs already ("kubernetes", "ann-lee",
	// "2024-03-01-db-failover"): a large library asks thousands of times.
	if isSlug(s) {
		return s
	}
	return slugify(s)
}

func slugify(s string) string {
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

// isSlug reports whether Make would return s unchanged: lower-case
// ASCII letters and digits in runs joined by single dashes.
func isSlug(s string) bool {
	dash := true // no leading dash
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			dash = false
		case c == '-' && !dash:
			dash = true
		default:
			return false
		}
	}
	return s == "" || !dash
}
