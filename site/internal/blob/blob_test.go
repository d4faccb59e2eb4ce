package blob

import (
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"", "x", "<p>" + strings.Repeat("the same words again ", 200) + "</p>", "héllo\x00wörld"} {
		if got := Plain(s).String(); got != s {
			t.Errorf("Plain(%q) = %q", s, got)
		}
		buf := []byte(s)
		c := Compress(buf)
		for i := range buf { // the caller may reuse its buffer
			buf[i] = 'X'
		}
		if got := c.String(); got != s {
			t.Errorf("Compress(%q) = %q", s, got)
		}
		if len(s) > 1000 && len(c.z) > len(s)/3 {
			t.Errorf("repetitive text of %d bytes compressed to %d", len(s), len(c.z))
		}
	}
	var zero Text
	if zero.String() != "" {
		t.Error("zero Text is not empty")
	}
}
