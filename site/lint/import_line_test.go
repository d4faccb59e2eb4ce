package lint

import (
	"bytes"
	"strings"
	"testing"
)

// Every kind of inference is on the summary's line, those it does not
// know by name too, and with none there is no empty line.
func TestImportInferredLine(t *testing.T) {
	var b bytes.Buffer
	Import{Found: 2, Inferred: map[string]int{"technologies": 1, "title": 2}}.writeText(&b)
	if !strings.Contains(b.String(), "Inferred, in how many reviews: title 2, technologies 1.\n") {
		t.Errorf("summary:\n%s", b.String())
	}
	b.Reset()
	Import{Found: 2, Inferred: map[string]int{"title": 0}}.writeText(&b)
	if strings.Contains(b.String(), "Inferred") {
		t.Errorf("an empty inferred line:\n%s", b.String())
	}
}
