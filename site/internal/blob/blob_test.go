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

func TestAppend(t *testing.T) {
	long := "<p>" + strings.Repeat("the same words again ", 200) + "</p>"
	for _, s := range []string{"", "x", long, "héllo\x00wörld"} {
		for _, tx := range []Text{Plain(s), Compress([]byte(s))} {
			if got := string(tx.Append(nil)); got != s {
				t.Errorf("Append(nil) of %q = %q", s, got)
			}
			// Into a buffer with room, after what it holds, which is kept.
			buf := make([]byte, 0, 8192)
			buf = append(buf, "head:"...)
			got := tx.Append(buf)
			if string(got) != "head:"+s {
				t.Errorf("Append(head:) of %q = %q", s, got)
			}
			if len(s) < 8000 && &got[:1][0] != &buf[:1][0] {
				t.Errorf("Append of %d bytes into a buffer of 8192 allocated", len(s))
			}
		}
	}
}
