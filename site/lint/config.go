package lint

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/frontmatter"
)

// checkConfigKeys warns about a top-level casebook.yaml key that is not a
// setting but is spelt like one ("timzone", "unsafeHTML"): casebook keeps
// such a key for themes, so the setting it was meant to be would be
// ignored without a word.
func (c *checker) checkConfigKeys() {
	root := c.cfg.Node()
	if root == nil || root.Kind != frontmatter.MapNode {
		return
	}
	for _, k := range root.Keys {
		if site.IsSetting(k) {
			continue
		}
		if s, ok := likeSetting(k); ok {
			kp := root.KeyPos[k]
			c.add("config-key", site.ConfigFile, kp[0], kp[1],
				fmt.Sprintf("%q is not a casebook setting: did you mean %s?", k, s),
				"casebook keeps a key it does not know for themes, as .Site.Config.Params")
		}
	}
}

// likeSetting finds the setting a key is probably a misspelling of (see
// nearest).
func likeSetting(key string) (string, bool) { return nearest(key, site.Settings()) }

// nearest finds the name among names that key is probably a misspelling
// of: the same but for case, '_' and '-', its singular or plural, or
// within one edit (two for names of seven letters or more; shorter ones
// are too near other words a theme might use, as logo is to repo).
func nearest(key string, names []string) (string, bool) {
	fold := func(s string) []rune {
		return []rune(strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(s)))
	}
	k := fold(key)
	best, bestD := "", 3
	for _, s := range names {
		f := fold(s)
		limit := 1
		if len(f) >= 7 {
			limit = 2
		}
		d := distance(k, f)
		if isPlural(string(k), string(f)) || isPlural(string(f), string(k)) {
			d = 1
		}
		if d <= limit && d < bestD {
			best, bestD = s, d
		}
	}
	return best, best != ""
}
