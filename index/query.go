package index

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/site"
)

// Limits on what a query may ask for. They keep every query cheap enough
// that none can stall the server.
const (
	MaxQueryBytes   = 512 // q
	MaxFilterValues = 64  // taxonomy values across all filters
	MaxValueBytes   = 128 // one filter value
	DefaultPageSize = 10
	MaxPageSize     = 20
	MaxPage         = 100
	// Timeout bounds one search, however it is called.
	Timeout = 2 * time.Second
)

// Query is a parsed search request.
type Query struct {
	// Text is free text in bleve's query-string syntax: words, "phrases",
	// +required, -excluded, field:value (title, summary, headings, body,
	// severity, people, date and every taxonomy key), fuzzy~1, wild*.
	Text string
	// Filters maps a taxonomy key to normalised term ids. Values of one
	// taxonomy are alternatives (OR); different taxonomies must all match
	// (AND). Aliases are folded when the query runs.
	Filters map[string][]string
	// From and To bound the review date, inclusive, as calendar days in
	// the library's time zone. Zero means open.
	From, To time.Time
	Page     int // 1-based; 0 means 1
	Size     int // hits per page; 0 means DefaultPageSize
}

// QueryError is a request the caller got wrong: HTTP 400.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

func badQuery(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...)}
}

// IsQueryError reports whether err is the caller's fault (HTTP 400).
func IsQueryError(err error) bool {
	var qe *QueryError
	return errors.As(err, &qe)
}

// ParseQuery reads a query from URL parameters: q, page, size, from, to
// (YYYY-MM-DD) and one parameter per taxonomy key (repeatable or
// comma-separated; a taxonomy's front-matter spelling such as
// contributing_factors is accepted too). Anything else, or a value out of
// bounds, is a *QueryError.
func ParseQuery(v url.Values, taxonomies []string) (Query, error) {
	q := Query{Filters: map[string][]string{}}
	tax := map[string]string{}
	for _, k := range taxonomies {
		tax[k] = k
		if alt := strings.ReplaceAll(k, "-", "_"); alt != k {
			tax[alt] = k
		}
	}
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	values := 0
	for _, name := range names {
		vals := v[name]
		if !utf8.ValidString(name) {
			return Query{}, badQuery("parameter names must be UTF-8")
		}
		single := func() (string, error) {
			if len(vals) == 0 {
				return "", nil
			}
			if len(vals) > 1 {
				return "", badQuery("%s given %d times", name, len(vals))
			}
			if !utf8.ValidString(vals[0]) {
				return "", badQuery("%s is not valid UTF-8", name)
			}
			return strings.TrimSpace(vals[0]), nil
		}
		switch name {
		case "q":
			s, err := single()
			if err != nil {
				return Query{}, err
			}
			if len(s) > MaxQueryBytes {
				return Query{}, badQuery("q is %d bytes long; the limit is %d", len(s), MaxQueryBytes)
			}
			q.Text = s
		case "page", "size":
			s, err := single()
			if err != nil {
				return Query{}, err
			}
			if s == "" {
				continue
			}
			n, err := strconv.Atoi(s)
			limit := MaxPage
			if name == "size" {
				limit = MaxPageSize
			}
			if err != nil || n < 1 || n > limit {
				return Query{}, badQuery("%s must be a whole number from 1 to %d", name, limit)
			}
			if name == "page" {
				q.Page = n
			} else {
				q.Size = n
			}
		case "from", "to":
			s, err := single()
			if err != nil {
				return Query{}, err
			}
			if s == "" {
				continue
			}
			t, err := parseDay(s)
			if err != nil {
				return Query{}, badQuery("%s: %q is not a date (YYYY-MM-DD)", name, s)
			}
			if name == "from" {
				q.From = t
			} else {
				q.To = t
			}
		default:
			key, ok := tax[name]
			if !ok {
				if len(taxonomies) == 0 {
					return Query{}, badQuery("unknown parameter %q; this library has no taxonomies", trunc(name))
				}
				return Query{}, badQuery("unknown parameter %q (use q, page, size, from, to or a taxonomy: %s)", trunc(name), strings.Join(taxonomies, ", "))
			}
			for _, raw := range vals {
				if !utf8.ValidString(raw) {
					return Query{}, badQuery("%s is not valid UTF-8", key)
				}
				for _, part := range strings.Split(raw, ",") {
					part = strings.TrimSpace(part)
					if part == "" {
						continue
					}
					if len(part) > MaxValueBytes {
						return Query{}, badQuery("%s: a term is at most %d bytes", key, MaxValueBytes)
					}
					values++
					if values > MaxFilterValues {
						return Query{}, badQuery("at most %d filter values", MaxFilterValues)
					}
					id := site.Normalize(part)
					if id == "" {
						return Query{}, badQuery("%s: %q is not a term", key, trunc(part))
					}
					if !slices.Contains(q.Filters[key], id) {
						q.Filters[key] = append(q.Filters[key], id)
					}
				}
			}
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return Query{}, badQuery("to (%s) is before from (%s)", q.To.Format(time.DateOnly), q.From.Format(time.DateOnly))
	}
	return q, nil
}

// parseDay reads YYYY-MM-DD (or a full RFC 3339 time, of which only the
// date counts) as a calendar day.
func parseDay(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
}

func trunc(s string) string {
	if len(s) <= 40 {
		return s
	}
	i := 40
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// Values turns a query back into URL parameters (the inverse of
// ParseQuery), for links and for the search page's state.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, id := range q.Filters[k] {
			v.Add(k, id)
		}
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.Format(time.DateOnly))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.Format(time.DateOnly))
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.Size != 0 && q.Size != DefaultPageSize {
		v.Set("size", strconv.Itoa(q.Size))
	}
	return v
}
