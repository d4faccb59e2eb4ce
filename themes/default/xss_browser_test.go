package defaulttheme_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/internal/browser"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"
)

// Payloads that run script if a page writes them without escaping, in
// text, in a double- or single-quoted attribute, or as a URL. Each sets
// window.__pwned when it runs.
const (
	pTag  = `<img src=x onerror="window.__pwned='tag'"><script>window.__pwned='script'</script>`
	pAttr = `"><img src=x onerror="window.__pwned='attr'">'><img src=x onerror="window.__pwned='sq'">`
	pURL  = `javascript:window.__pwned=1`
)

// hostileLibrary puts the payloads in every field and Markdown context
// an author controls: settings, title, summary, terms, people, follow-up
// links, timeline text and mentions, headings, code info strings,
// footnotes, raw HTML and file names.
const hostileLibrary = `
-- casebook.yaml --
title: 'T PAYLOAD_SQ'
description: 'D PAYLOAD_SQ'
baseURL: https://incidents.example.com/lib/
repo: https://github.com/acme/reviews
severities: ['SEV1 PAYLOAD_SQ', SEV2]
-- people/ann-lee.md --
---
name: 'Ann PAYLOAD_SQ'
team: 'Team PAYLOAD_SQ'
role: 'Role PAYLOAD_SQ'
---
Profile PAYLOAD.
-- reviews/2025-01-10-alpha.md --
---
title: 'Alpha PAYLOAD_SQ'
summary: 'Summary PAYLOAD_SQ'
severity: 'SEV1 PAYLOAD_SQ'
started: 2025-01-10 09:40
resolved: 2025-01-10 12:10
services: ['api PAYLOAD_SQ']
technologies: ['kafka PAYLOAD_SQ']
contributing_factors: ['factor PAYLOAD_SQ']
responders: [ann-lee, 'bob PAYLOAD_SQ']
follow_ups:
  - title: 'Follow-up PAYLOAD_SQ'
    owner: ann-lee
    status: open
    due: 2025-02-01
    link: 'PURL'
  - title: Second
    owner: ann-lee
    status: done
    link: 'https://x/PAYLOAD_SQ'
---
## Summary

Body PAYLOAD and [a link](PURL) and ![an image](PURL) and <a href="PURL">raw</a>.

## Heading PAYLOAD

A footnote[^n PAYLOAD].

[^n PAYLOAD]: The note PAYLOAD.

` + "```PAYLOAD\ncode PAYLOAD\n```" + `

## Timeline

` + "```timeline\n2025-01-10 09:40 | trigger | Deploy PAYLOAD by @ann-lee\n2025-01-10 10:00 | detection | @ann-lee paged `x`\n2025-01-10 12:10 | repair | fixed\n```" + `
-- reviews/2025-01-11-'"><img src=x onerror=alert(1)>.md --
---
title: Named
---
A review whose file name is a payload.
-- paths/onboarding.md --
---
title: 'Path PAYLOAD_SQ'
summary: 'Path summary PAYLOAD_SQ'
steps:
  - review: 2025-01-10-alpha
    note: 'Note PAYLOAD_SQ'
    questions: ['Question PAYLOAD_SQ']
---
Intro PAYLOAD.
`

func hostileFS(t *testing.T) fstest.MapFS {
	t.Helper()
	payload := pTag + " " + pAttr
	r := strings.NewReplacer(
		// In single-quoted YAML a quote is doubled.
		"PAYLOAD_SQ", strings.ReplaceAll(payload, "'", "''"),
		"PAYLOAD", payload,
		"PURL", pURL,
	)
	lib := fstest.MapFS{}
	for _, f := range txtar.Parse([]byte(hostileLibrary)).Files {
		lib[f.Name] = &fstest.MapFile{Data: []byte(r.Replace(string(f.Data))), Mode: 0o644}
	}
	return lib
}

// noScriptJS finds what the payloads would leave in the DOM had they been
// written unescaped: their handler attributes (the theme has handlers of
// its own), script elements that are not the
// theme's, and javascript: URLs.
const noScriptJS = `(() => {
	const bad = [];
	for (const el of document.querySelectorAll('*')) {
		for (const a of el.attributes) {
			if (/^on/i.test(a.name) && /__pwned|alert\(/.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
			if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.name + '=' + a.value);
		}
		if (el.tagName === 'SCRIPT' && /^\s*window\.__pwned/.test(el.textContent)) bad.push('script: ' + el.textContent);
	}
	if (window.__pwned !== undefined) bad.push('window.__pwned = ' + window.__pwned);
	return bad;
})()`

// TestBrowserNoScriptFromContent loads every page of a library whose every
// field is a script payload and fails if any ran or is in the DOM.
func TestBrowserNoScriptFromContent(t *testing.T) {
	t.Parallel()
	dir, r := buildSearchable(t, hostileFS(t))
	base := serve(t, dir, "/lib")
	ctx := browser.New(t)
	urls := []string{"/search/?q=Alpha", "/search/?q=" + strings.ReplaceAll(pAttr, " ", "+")}
	for _, p := range r.Pages() {
		urls = append(urls, p.URL)
	}
	for _, u := range urls {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+u)); err != nil {
			t.Fatalf("opening %s: %v", u, err)
		}
		if strings.HasPrefix(u, "/search/") {
			browser.Wait(t, ctx, "search results on "+u, `document.querySelector('#search-results .search-hit, #search-results .search-empty, #search-status') !== null`)
		}
		if bad := browser.Eval[[]string](t, ctx, noScriptJS); len(bad) > 0 {
			t.Errorf("%s: %d payloads live:\n%s", u, len(bad), strings.Join(bad, "\n"))
		}
	}
	if len(urls) < 20 {
		t.Errorf("only %d pages: the library did not render what it should", len(urls))
	}
}
