package site

import (
	"fmt"
	"strings"
	"time"
)

// decoder reads typed fields out of a node tree, reporting each problem at
// the offending value's position in path.
type decoder struct {
	path string
	e    *errs
	loc  *time.Location
}

func (d *decoder) errAt(n *node, format string, args ...any) {
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Col
	}
	d.e.Add(d.path, line, col, format, args...)
}

func (d *decoder) str(n *node, key string) string {
	v := n.get(key)
	if v == nil || v.Kind == nullNode {
		return ""
	}
	if v.Kind != scalarNode {
		d.errAt(v, "%s must be text, not %s", key, v.kindName())
		return ""
	}
	return strings.TrimSpace(v.Str)
}

func (d *decoder) boolean(n *node, key string) bool {
	v := n.get(key)
	if v == nil || v.Kind == nullNode {
		return false
	}
	b, ok := v.Value.(bool)
	if !ok {
		d.errAt(v, "%s must be true or false, not %q", key, v.Str)
	}
	return b
}

// list reads a list of strings; a single string is accepted as a list of
// one, which is what authors mean by "services: billing".
func (d *decoder) list(n *node, key string) []string {
	v := n.get(key)
	if v == nil || v.Kind == nullNode {
		return nil
	}
	switch v.Kind {
	case scalarNode:
		if s := strings.TrimSpace(v.Str); s != "" {
			return []string{s}
		}
		return nil
	case listNode:
		out := make([]string, 0, len(v.Items))
		for _, it := range v.Items {
			if it.Kind != scalarNode {
				d.errAt(it, "%s: each item must be text, not %s", key, it.kindName())
				continue
			}
			if s := strings.TrimSpace(it.Str); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	d.errAt(v, "%s must be a list, not %s", key, v.kindName())
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

// parseTime accepts the date forms authors write; times without a zone are
// in the library's time zone.
func parseTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// inLibraryZone reads a TOML local date or date-time (one written without
// an offset) as wall-clock time in the library's time zone, as YAML dates
// are read. BurntSushi/toml gives such values zero-offset zones with these
// names, which would otherwise pass for UTC.
func inLibraryZone(t time.Time, loc *time.Location) time.Time {
	switch t.Location().String() {
	case "date-local", "datetime-local", "time-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	return t
}

func (d *decoder) time(n *node, key string) (time.Time, bool) {
	v := n.get(key)
	if v == nil || v.Kind == nullNode {
		return time.Time{}, false
	}
	if v.Kind != scalarNode {
		d.errAt(v, "%s must be a date, not %s", key, v.kindName())
		return time.Time{}, false
	}
	if t, ok := v.Value.(time.Time); ok {
		return inLibraryZone(t, d.loc), true
	}
	if t, ok := parseTime(v.Str, d.loc); ok {
		return t, true
	}
	d.errAt(v, "%s: cannot read %q as a date (want YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)", key, v.Str)
	return time.Time{}, false
}

func (d *decoder) oneOf(n *node, key, def string, allowed ...string) string {
	s := d.str(n, key)
	if s == "" {
		return def
	}
	norm := strings.ToLower(s)
	for _, a := range allowed {
		if norm == a {
			return a
		}
	}
	d.errAt(n.get(key), "%s: %q is not one of %s", key, s, strings.Join(allowed, ", "))
	return def
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
