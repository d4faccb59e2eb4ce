package lint

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for people and editors: one finding a line,
//
//	path:line:col: severity: message [rule]
//
// followed, when the finding has a hint, by the hint on the next line,
// indented by a tab; then a summary line. Line and column are left out
// when zero. The order is the report's (path, line, column, rule).
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		loc := f.Path
		if f.Line > 0 {
			loc += fmt.Sprintf(":%d", f.Line)
			if f.Col > 0 {
				loc += fmt.Sprintf(":%d", f.Col)
			}
		}
		fmt.Fprintf(bw, "%s: %s: %s [%s]\n", loc, f.Severity, f.Message, f.Rule)
		if f.Hint != "" {
			fmt.Fprintf(bw, "\t%s\n", f.Hint)
		}
	}
	r.Import.writeText(bw)
	fmt.Fprintln(bw, r.Summary())
	return bw.Flush()
}

// Summary is the report in one line: "18 reviews checked: 0 errors,
// 3 warnings, 2 suggestions, 1 note".
func (r *Report) Summary() string {
	sevs := Severities()
	counts := make([]string, len(sevs))
	for i, s := range sevs {
		counts[i] = plural(r.Count(s), string(s), string(s)+"s")
	}
	what := plural(r.Reviews, "review", "reviews")
	if r.Nominations > 0 {
		what += " and " + plural(r.Nominations, "nomination", "nominations")
	}
	return fmt.Sprintf("%s checked (drafts and restricted included): %s", what, strings.Join(counts, ", "))
}

// JSON is the machine-readable report, the schema of `casebook check
// --format json`:
//
//	{
//	  "version": 1,                  // bumped only on incompatible changes
//	  "reviews": 18,                 // review files checked
//	  "nominations": 2,              // status: nominated files checked; absent when none
//	  "summary": {"error": 0, "warning": 3, "suggestion": 2, "note": 1},
//	  "findings": [                  // sorted by path, line, col, rule, message
//	    {
//	      "path": "reviews/2024-05-21-coredns-latency.md",   // relative to the library, with /
//	      "line": 12,                // 1-based; 0 when the finding is about the whole file
//	      "col": 5,                  // 1-based, in bytes; 0 when about the whole line
//	      "severity": "warning",     // error | warning | suggestion | note
//	      "rule": "term-duplicate",  // see the package documentation
//	      "message": "...",
//	      "hint": "..."              // why, or what to do; "" when there is none
//	    }
//	  ],
//	  "import": {                    // how casebook read the library
//	    "found": 18,                 // review files
//	    "skipped": [{"path": "README.md", "why": "a repository file, not a review"}],
//	    "inferred": {"title": 3, "date": 5},   // reviews, by what was inferred for them
//	    "advice": ["..."]            // at most three casebook.yaml changes that would help most
//	  }
//	}
//
// Every key but nominations is always present, and findings is [] rather
// than null.
type JSON struct {
	Version int `json:"version"`
	Reviews int `json:"reviews"`
	// Nominations is the one key absent when zero: it came after
	// version 1, and libraries without nominations read as before.
	Nominations int       `json:"nominations,omitempty"`
	Summary     Counts    `json:"summary"`
	Findings    []Finding `json:"findings"`
	Import      Import    `json:"import"`
}

// Counts are the number of findings of each severity.
type Counts struct {
	Error      int `json:"error"`
	Warning    int `json:"warning"`
	Suggestion int `json:"suggestion"`
	Note       int `json:"note"`
}

// JSONVersion is the version of the JSON schema.
const JSONVersion = 1

// WriteJSON writes the report as JSON (see type JSON), indented, with a
// final newline.
func (r *Report) WriteJSON(w io.Writer) error {
	out := JSON{Version: JSONVersion, Reviews: r.Reviews, Nominations: r.Nominations, Findings: r.Findings, Import: r.Import,
		Summary: Counts{Error: r.Count(Error), Warning: r.Count(Warning), Suggestion: r.Count(Suggestion), Note: r.Count(Note)}}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
