package index

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzHandler sends arbitrary query strings to GET /api/search: every
// answer must be 200 or 400 with a JSON body, never a 500 or a panic.
//
//	go test -fuzz=FuzzHandler -fuzztime=60s ./index
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"",
		"q=kafka",
		"q=kafka+lag&technologies=kafka&themes=capacity&from=2022-01-01&to=2025-12-31&page=1&size=20",
		`q="exclusive+lock"`,
		"q=%2Bkafka+-upgrade",
		"q=title:kafka",
		"q=kafak~1",
		"q=kafka~99999999999999999999",
		"q=k*",
		"q=*",
		"q=?",
		"q=/.*/",
		"q=/[/",
		"q=/(a|aa)*b/",
		"q=" + strings.Repeat("a*", 200),
		"q=" + strings.Repeat("(", 300),
		"q=" + strings.Repeat(`"`, 100),
		"q=" + strings.Repeat("x~2+", 100),
		"q=" + strings.Repeat("%F0%9F%98%80", 200),
		"q=%ff%fe",
		"q=%00",
		"q=%zz",
		"q=\x00\x01",
		"q=date:>%22x%22",
		"q=date:>=%222024-01-01%22+date:<%221600-01-01%22",
		"q=people:%E2%98%83",
		"q=severity:>5",
		"q=title:-5",
		"q=^",
		"q=kafka^1e308",
		"q=kafka^-1",
		"q=\\",
		"q=a:b:c:d",
		"q=:",
		"q=+-+-",
		"q=" + url.QueryEscape("Zürich ☃ 東京 مرحبا \u202e\u200b"),
		"technologies=k8s,kube,,,",
		"technologies=" + strings.Repeat("x,", 1000),
		"technologies=%ff",
		"contributing_factors=config_change",
		"themes=---",
		"nosuch=1",
		"__proto__=1",
		"q=a&q=b",
		"page=0",
		"page=999999999999999999999",
		"page=-1",
		"size=1e3",
		"from=2024-02-30",
		"from=9999-12-31&to=0001-01-01",
		"from=2024-01-01T00:00:00Z",
		"to=2024-01-01T00:00:00%2B25:00",
		"%",
		"&&&",
		"=",
		";q=kafka",
		"q=kafka;technologies=go",
	} {
		f.Add(seed)
	}
	ix := library(f)
	h := NewHandler(func() *Index { return ix })
	f.Fuzz(func(t *testing.T, raw string) {
		r := (&http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/search", RawQuery: raw}, Header: http.Header{}}).WithContext(context.Background())
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, r)
		if d := time.Since(start); d > Timeout+time.Second {
			t.Fatalf("%q: answered after %s", raw, d)
		} else if slow := os.Getenv("CASEBOOK_FUZZ_SLOW"); slow != "" && d > 300*time.Millisecond {
			f, _ := os.OpenFile(slow, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			fmt.Fprintf(f, "%s %d %q\n", d, rec.Code, raw)
			f.Close()
		}
		switch rec.Code {
		case http.StatusOK:
			var res Result
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("%q: 200 with bad JSON: %v", raw, err)
			}
			if res.Hits == nil || res.Facets == nil {
				t.Fatalf("%q: null hits or facets: %s", raw, rec.Body)
			}
		case http.StatusBadRequest:
			var e struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Fatalf("%q: 400 without an error message: %s", raw, rec.Body)
			}
		default:
			t.Fatalf("%q: status %d: %s", raw, rec.Code, rec.Body)
		}
	})
}
