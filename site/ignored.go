package site

import (
	"slices"

	"github.com/casebook/casebook/site/frontmatter"
)

// HarmlessKeys are front-matter keys of other site generators (Hugo,
// Jekyll, Docusaurus, MkDocs) that only steer that tool's own layout and
// URLs. A repository moved to casebook often keeps them, and nothing is
// lost when casebook ignores them, so casebook check does not warn about
// them. Keys that carry content casebook could use (description,
// categories when no taxonomy reads them) are not here: ignoring those
// loses something, so they are warned about.
var HarmlessKeys = []string{
	"cascade", "comments", "expiryDate", "expirydate", "headless", "hide", "id", "layout", "linkTitle", "menu",
	"outputs", "permalink", "sidebar_label", "sidebar_position", "sitemap", "slug", "toc", "translationKey",
	"type", "url", "weight",
}

// ReviewFields are casebook's own names for the top-level front-matter
// keys of a review under c, sorted: what casebook check suggests for a key
// it ignores.
func (c *Config) ReviewFields() []string {
	known := knownFields()
	known["template"] = true // casebook new writes it, casebook check reads it
	for _, t := range c.Taxonomies {
		known[t.Field] = true
	}
	return sortedKeys(known)
}

// ReviewKeys are the top-level front-matter keys casebook reads in a
// review under c, sorted: ReviewFields, the names casebook.yaml's fields:
// maps onto them, and the built-in aliases of other tools (start_time,
// keywords) of the fields among them.
func (c *Config) ReviewKeys() []string {
	known := map[string]bool{}
	for _, k := range c.ReviewFields() {
		known[k] = true
	}
	for _, foreign := range c.Fields {
		known[foreign] = true
	}
	for field, aliases := range fieldAliases {
		if !known[field] {
			continue // keywords is read only while a taxonomy reads tags
		}
		for _, a := range aliases {
			known[a] = true
		}
	}
	return sortedKeys(known)
}

// ignoredKeys are the top-level keys of f, in file order, that casebook
// neither reads nor maps (keys) and that are not HarmlessKeys: kept for
// themes as Params, but otherwise without effect, which an author who
// misspelt severity would want to know.
func ignoredKeys(f *frontmatter.Node, keys []string) []string {
	if f == nil || f.Kind != frontmatter.MapNode {
		return nil
	}
	var out []string
	for _, k := range f.Keys {
		if _, found := slices.BinarySearch(keys, k); !found && !slices.Contains(HarmlessKeys, k) {
			out = append(out, k)
		}
	}
	return out
}
