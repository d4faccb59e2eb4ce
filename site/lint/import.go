package lint

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/casebook/casebook/site"
)

// Import is how casebook read a library: what it took as reviews and
// skipped, and how much of the reviews it inferred. On a repository not
// written for casebook it is the first thing to read, and its Advice says
// which casebook.yaml settings would help most.
type Import struct {
	Found   int            `json:"found"`   // review files
	Skipped []site.Skipped `json:"skipped"` // Markdown files not taken, folders not read
	// Inferred counts reviews by what was inferred for them: "title",
	// "date", "follow-ups", "responders", "severity", ...
	Inferred map[string]int `json:"inferred"`
	Advice   []string       `json:"advice"` // at most three, most useful first
}

func importSummary(lib *site.Library, findings []Finding) Import {
	im := Import{Found: len(lib.Files.Reviews), Skipped: lib.Files.Skipped, Inferred: map[string]int{}}
	if im.Skipped == nil {
		im.Skipped = []site.Skipped{}
	}
	seen := map[[2]string]bool{}
	gitUnreliable := false
	for _, f := range findings {
		if f.Rule != "inferred" {
			continue
		}
		if f.Path == "." {
			gitUnreliable = gitUnreliable || strings.Contains(f.Message, "Git")
			continue
		}
		field, _, ok := strings.Cut(f.Message, " from ")
		if !ok || seen[[2]string{f.Path, field}] {
			continue
		}
		seen[[2]string{f.Path, field}] = true
		im.Inferred[field]++
	}
	im.Advice = advice(lib, im, gitUnreliable)
	return im
}

// advice picks the casebook.yaml changes that would help most, by how
// many reviews each would settle.
func advice(lib *site.Library, im Import, gitUnreliable bool) []string {
	type tip struct {
		n    int
		text string
	}
	var tips []tip
	if n := im.Inferred["date"]; n > 0 && gitUnreliable {
		tips = append(tips, tip{n + 1000, "dates come from Git, which is shallow or one commit here: build from a full clone (fetch-depth: 0), or map your reviews' own date field with fields: {date: <your key>}"})
	} else if n > 0 {
		tips = append(tips, tip{n, fmt.Sprintf("%s inferred dates: if your reviews carry a date under another key, map it with fields: {date: <your key>}", reviewsN(n))})
	}
	if n := im.Inferred["title"]; n > 0 {
		tips = append(tips, tip{n, fmt.Sprintf("%s inferred titles: map a title field with fields: {title: <your key>}, or start each review with a # heading", reviewsN(n))})
	}
	md := 0
	for _, s := range im.Skipped {
		if !strings.HasSuffix(s.Path, "/") && strings.HasPrefix(s.Why, "outside") {
			md++
		}
	}
	if md > 0 {
		tips = append(tips, tip{md, fmt.Sprintf("%s not taken as reviews because of where %s: if %s reviews, list your review folders with reviews: [\"postmortems/**\"]",
			plural(md, "Markdown file was", "Markdown files were"), map[bool]string{true: "it is", false: "they are"}[md == 1], map[bool]string{true: "it is one of your", false: "they are"}[md == 1])})
	}
	if n := im.Inferred["follow-ups"]; n > 0 {
		tips = append(tips, tip{n / 2, fmt.Sprintf("%s follow-ups read from action items: add owners and due dates in follow_ups: to track them", reviewsN(n))})
	}
	if lib.Config.Title == "Incident library" {
		tips = append(tips, tip{1, "name the library: title: <your team's> incident reviews"})
	}
	slices.SortStableFunc(tips, func(a, b tip) int { return cmp.Compare(b.n, a.n) })
	var out []string
	for _, t := range tips[:min(3, len(tips))] {
		out = append(out, t.text)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func reviewsN(n int) string { return plural(n, "review has", "reviews have") }

// writeImport writes the summary for people, when there is anything to
// say beyond the count: a library written for casebook says nothing more.
func (im Import) writeText(w io.Writer) {
	if len(im.Skipped) == 0 && len(im.Inferred) == 0 {
		return
	}
	fmt.Fprintf(w, "\nHow casebook read this library: %s found", plural(im.Found, "review", "reviews"))
	if len(im.Skipped) > 0 {
		fmt.Fprintf(w, ", %s skipped:\n", plural(len(im.Skipped), "file or folder", "files and folders"))
		for i, s := range im.Skipped {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more (casebook check --format json lists them all)\n", len(im.Skipped)-20)
				break
			}
			fmt.Fprintf(w, "  %s: %s\n", s.Path, s.Why)
		}
	} else {
		fmt.Fprintln(w, ".")
	}
	if len(im.Inferred) > 0 {
		// The usual fields in the order a review gives them, then any
		// other kind of note (a new one must not vanish from the line).
		order := []string{"title", "date", "summary", "started", "detected", "resolved", "severity", "timeline", "follow-ups", "responders", "terms"}
		var rest []string
		for k := range im.Inferred {
			if !slices.Contains(order, k) {
				rest = append(rest, k)
			}
		}
		slices.Sort(rest)
		var parts []string
		for _, k := range append(order, rest...) {
			if n := im.Inferred[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "Inferred, in how many reviews: %s.\n", strings.Join(parts, ", "))
		}
	}
	if len(im.Advice) > 0 {
		fmt.Fprintln(w, "What would help most:")
		for i, a := range im.Advice {
			fmt.Fprintf(w, "  %d. %s\n", i+1, a)
		}
	}
}
