package site

import (
	"testing"

	"github.com/casebook/casebook/site/internal/markdown"
)

// Every built-in tag has a label on /insights/, and no label names a tag
// that is not built in.
func TestTagLabelsCoverBuiltins(t *testing.T) {
	builtin := map[string]bool{}
	for _, q := range markdown.BuiltinQualifiers() {
		builtin[q] = true
	}
	seen := map[string]bool{}
	for _, l := range tagLabels {
		if !builtin[l.tag] {
			t.Errorf("%s has a label but is not built in", l.tag)
		}
		seen[l.tag] = true
	}
	for q := range builtin {
		if !seen[q] {
			t.Errorf("%s is built in but has no label", q)
		}
	}
}
