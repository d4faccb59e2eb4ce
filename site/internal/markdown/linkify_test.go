package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// quickLinkify must decline only what GFM's autolink parser would decline.
func FuzzQuickLinkify(f *testing.F) {
	for _, s := range []string{
		"see https://example.com/a_(b) and www.example.com.",
		"mail ops@example.com, or (oncall@example.org)",
		"*http://x.io* _www.y.io_ ~ftp://z.io~ (https://w.io)",
		"a@b c@d.e foo.bar@baz.qux- x@y.z_",
		"\thttp://tab.example\n  www.indent.example\nwwwx http:no",
		"`https://in.code` [https://in.link](https://t.example) <https://auto.example>",
	} {
		f.Add(s)
	}
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM))
	quick := goldmark.New(goldmark.WithExtensions(gfm))
	f.Fuzz(func(t *testing.T, src string) {
		var want, got bytes.Buffer
		if err := plain.Convert([]byte(src), &want); err != nil {
			t.Skip()
		}
		if err := quick.Convert([]byte(src), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", src, got.String(), want.String())
		}
	})
}
