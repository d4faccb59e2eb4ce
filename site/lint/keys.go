package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// keyMeanings are other tools' keys for what casebook reads under another
// name, too far from it in spelling for likeField to find.
var keyMeanings = map[string]string{
	"description":  "summary",
	"excerpt":      "summary",
	"sev":          "severity",
	"priority":     "severity",
	"attendees":    "responders",
	"participants": "responders",
	"action_items": "follow_ups",
	"start":        "started",
	"end":          "resolved",
}

// taxonomyKeys are the keys that give a default taxonomy's terms (its
// field and the alias casebook reads for it) while casebook.yaml declares
// no taxonomies: declaring any drops them.
var taxonomyKeys = map[string]string{"tags": "tags", "keywords": "tags", "categories": "categories", "category": "categories"}

// checkReviewKeys warns about each top-level front-matter key the parse
// recorded as ignored (site.ReviewSyntax.Ignored): casebook keeps it for
// themes, so a misspelt severity: would otherwise change nothing without
// a word. A key is reported once, at its first use, with the number of
// other reviews that use it; keys the library's own templates write
// (front_matter:) are its convention, not mistakes.
func (c *checker) checkReviewKeys() {
	declared := map[string]bool{}
	for _, t := range c.tmpls {
		for _, m := range templateKeyRe.FindAllStringSubmatch(t.FrontMatter, -1) {
			declared[m[1]] = true
		}
	}
	type use struct {
		r      *review
		others int
	}
	first := map[string]*use{}
	var order []string
	for _, r := range c.reviews {
		if r.fields == nil {
			continue
		}
		for _, k := range r.ignored {
			if declared[k] {
				continue
			}
			if u, ok := first[k]; ok {
				u.others++
				continue
			}
			first[k] = &use{r: r}
			order = append(order, k)
		}
	}
	fields := c.cfg.ReviewFields()
	for _, k := range order {
		u := first[k]
		kp := u.r.fields.KeyPos[k]
		msg := fmt.Sprintf("front matter: casebook does not read %q", k)
		hint := fmt.Sprintf("casebook keeps it for themes as .Review.Params.%s and otherwise ignores it; if a theme of yours reads it, add unknown-key to lint: disable in casebook.yaml", k)
		if s, ok := likeField(k, fields); ok {
			msg += fmt.Sprintf(": did you mean %s?", s)
		} else if f, ok := taxonomyKeys[k]; ok {
			msg += fmt.Sprintf(": casebook.yaml's taxonomies have no %s field", f)
			hint = "declare a taxonomy with field: " + f + " in casebook.yaml to make them terms"
		}
		if u.others > 0 {
			msg += fmt.Sprintf(" (and in %s)", plural(u.others, "other review", "other reviews"))
		}
		c.add("unknown-key", u.r.path, kp[0], kp[1], msg, hint)
	}
}

// templateKeyRe finds the top-level keys of a template's front_matter:.
var templateKeyRe = regexp.MustCompile(`(?m)^([A-Za-z_][\w-]*)\s*:`)

// likeField finds the field a key most probably means: another tool's
// name for it (keyMeanings), or the same but for case, '_' and '-', its
// singular or plural, or within one edit (two for fields of seven letters
// or more): nearest, as for casebook.yaml's settings.
func likeField(key string, fields []string) (string, bool) {
	if m, ok := keyMeanings[strings.ToLower(key)]; ok && slices.Contains(fields, m) {
		return m, true
	}
	return nearest(key, fields)
}
