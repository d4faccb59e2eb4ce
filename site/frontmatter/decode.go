package frontmatter

import (
	"strings"
	"time"

	"github.com/casebook/casebook/site/diag"
)

// Decoder reads typed fields out of a node tree, reporting each problem at
// the offending value's position in Path. Every reader of front matter and
// casebook.yaml uses one, so a field of the wrong kind reads the same
// everywhere.
type Decoder struct {
	Path string
	Errs *diag.Collector
	Loc  *time.Location // for dates written without a zone
}

// ErrAt reports a problem at n's position.
func (d *Decoder) ErrAt(n *Node, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Col
	}
	d.Errs.Add(d.Path, line, col, format, args...)
}

// Str reads a text field; an absent or null one is "".
func (d *Decoder) Str(n *Node, key string) string {
	v := n.Get(key)
	if v == nil || v.Kind == NullNode {
		return ""
	}
	if v.Kind != ScalarNode {
		d.ErrAt(v, "%s must be text, not %s", key, v.KindName())
		return ""
	}
	return strings.TrimSpace(v.Str)
}

// Bool reads true or false; absent is false.
func (d *Decoder) Bool(n *Node, key string) bool {
	v := n.Get(key)
	if v == nil || v.Kind == NullNode {
		return false
	}
	b, ok := v.Value.(bool)
	if !ok {
		d.ErrAt(v, "%s must be true or false, not %q", key, v.Str)
	}
	return b
}

// List reads a list of strings; a single string is accepted as a list of
// one, which is what authors mean by "services: billing".
func (d *Decoder) List(n *Node, key string) []string {
	v := n.Get(key)
	if v == nil || v.Kind == NullNode {
		return nil
	}
	switch v.Kind {
	case ScalarNode:
		if s := strings.TrimSpace(v.Str); s != "" {
			return []string{s}
		}
		return nil
	case ListNode:
		out := make([]string, 0, len(v.Items))
		for _, it := range v.Items {
			if it.Kind != ScalarNode {
				d.ErrAt(it, "%s: each item must be text, not %s", key, it.KindName())
				continue
			}
			if s := strings.TrimSpace(it.Str); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	d.ErrAt(v, "%s must be a list, not %s", key, v.KindName())
	return nil
}

var dateLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	time.RFC3339,
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
}

// ParseTime accepts the date forms authors write; times without a zone are
// in the library's time zone.
func ParseTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// InLibraryZone reads a TOML local date or date-time (one written without
// an offset) as wall-clock time in the library's time zone, as YAML dates
// are read. BurntSushi/toml gives such values zero-offset zones with these
// names, which would otherwise pass for UTC.
func InLibraryZone(t time.Time, loc *time.Location) time.Time {
	switch t.Location().String() {
	case "date-local", "datetime-local", "time-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	return t
}

// Time reads a date or date and time; ok is false when absent or bad.
func (d *Decoder) Time(n *Node, key string) (time.Time, bool) {
	v := n.Get(key)
	if v == nil || v.Kind == NullNode {
		return time.Time{}, false
	}
	if v.Kind != ScalarNode {
		d.ErrAt(v, "%s must be a date, not %s", key, v.KindName())
		return time.Time{}, false
	}
	t, ok := v.Value.(time.Time)
	if ok {
		t = InLibraryZone(t, d.Loc)
	} else {
		t, ok = ParseTime(v.Str, d.Loc)
	}
	if ok {
		if !Plausible(t) {
			d.Errs.Note(d.Path, v.Line, v.Col, "%s: the year %d is implausible (a typo?): the date is kept, but left out of the insights' charts", key, t.Year())
		}
		return t, true
	}
	d.ErrAt(v, "%s: cannot read %q as a date (want YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)", key, v.Str)
	return time.Time{}, false
}

// Plausible reports whether t is a date a review could mean: from 1970
// to 2200. Others (0224-05-01) are typos, which charts over time leave
// out rather than draw an axis of two thousand years.
func Plausible(t time.Time) bool { return t.Year() >= 1970 && t.Year() <= 2200 }

// OneOf reads a word that must be one of allowed (compared in lower
// case), def when absent.
func (d *Decoder) OneOf(n *Node, key, def string, allowed ...string) string {
	s := d.Str(n, key)
	if s == "" {
		return def
	}
	norm := strings.ToLower(s)
	for _, a := range allowed {
		if norm == a {
			return a
		}
	}
	d.ErrAt(n.Get(key), "%s: %q is not one of %s", key, s, strings.Join(allowed, ", "))
	return def
}
