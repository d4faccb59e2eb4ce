package site

import (
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
)

// WorkHours is when people are expected at work, read in each person's
// own time zone: casebook.yaml's work_hours. Taking part in an incident
// outside them is what the strain measures count.
type WorkHours struct {
	Days     [7]bool // by time.Weekday
	From, To int     // minutes after midnight, From < To
}

// DefaultWorkHours are Monday to Friday, 09:00 to 18:00: what a library
// that says nothing gets.
func DefaultWorkHours() WorkHours {
	w := WorkHours{From: 9 * 60, To: 18 * 60}
	for d := time.Monday; d <= time.Friday; d++ {
		w.Days[d] = true
	}
	return w
}

// Contains reports whether t, read in its own location, falls within the
// working hours.
func (w WorkHours) Contains(t time.Time) bool {
	m := t.Hour()*60 + t.Minute()
	return w.Days[t.Weekday()] && m >= w.From && m < w.To
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// String is the hours as people say them: "Mon–Fri 09:00–18:00". Runs
// of days start on Monday unless one wraps the week (Sun–Thu).
func (w WorkHours) String() string {
	start := int(time.Monday)
	if w.Days[time.Sunday] {
		for k := range 7 {
			if d := (int(time.Monday) + k) % 7; !w.Days[d] {
				start = (d + 1) % 7
				break
			}
		}
	}
	var runs []string
	for i := 0; i < 7; {
		d := (start + i) % 7
		if !w.Days[d] {
			i++
			continue
		}
		j := i
		for j+1 < 7 && w.Days[(start+j+1)%7] {
			j++
		}
		if i == j {
			runs = append(runs, title(dayNames[d]))
		} else {
			runs = append(runs, title(dayNames[d])+"–"+title(dayNames[(start+j)%7]))
		}
		i = j + 1
	}
	return fmt.Sprintf("%s %02d:%02d–%02d:%02d", strings.Join(runs, ", "), w.From/60, w.From%60, w.To/60, w.To%60)
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// readWorkHours reads work_hours: either "09:00-17:00" (Monday to Friday)
// or a mapping {days: mon-fri, from: "09:00", to: "18:00"}, days being a
// range, a comma list or a list of day names.
func readWorkHours(d *frontmatter.Decoder, root *frontmatter.Node) WorkHours {
	w := DefaultWorkHours()
	n := root.Get("work_hours")
	if n == nil || n.Kind == frontmatter.NullNode {
		return w
	}
	switch n.Kind {
	case frontmatter.ScalarNode:
		from, to, ok := strings.Cut(n.Str, "-")
		if !ok {
			d.ErrAt(n, "work_hours: %q is not a span of hours (want \"09:00-18:00\", or days, from and to)", n.Str)
			return w
		}
		f, okf := clock(from)
		t, okt := clock(to)
		if !okf || !okt || f >= t {
			d.ErrAt(n, "work_hours: %q is not a span of hours (want \"09:00-18:00\", or days, from and to)", n.Str)
			return w
		}
		w.From, w.To = f, t
		return w
	case frontmatter.MapNode:
	default:
		d.ErrAt(n, "work_hours must be \"09:00-18:00\" or a mapping of days, from and to")
		return w
	}
	for _, k := range n.Keys {
		if k != "days" && k != "from" && k != "to" {
			p := n.KeyPos[k]
			d.Errs.Add(d.Path, p[0], p[1], "work_hours: unknown key %q (want days, from, to)", k)
		}
	}
	for _, k := range []string{"from", "to"} {
		v := n.Get(k)
		if v == nil {
			continue
		}
		m, ok := clock(v.Str)
		if v.Kind != frontmatter.ScalarNode || !ok {
			d.ErrAt(v, "work_hours.%s: %q is not a time of day (want HH:MM, quoted)", k, v.Str)
			continue
		}
		if k == "from" {
			w.From = m
		} else {
			w.To = m
		}
	}
	if w.From >= w.To {
		d.ErrAt(n, "work_hours: from %02d:%02d is not before to %02d:%02d", w.From/60, w.From%60, w.To/60, w.To%60)
		return DefaultWorkHours()
	}
	if v := n.Get("days"); v != nil && v.Kind != frontmatter.NullNode {
		var words []string
		if v.Kind == frontmatter.ScalarNode {
			words = strings.Split(v.Str, ",")
		} else {
			words = d.List(n, "days")
		}
		var days [7]bool
		bad := false
		for _, wd := range words {
			a, b, isRange := strings.Cut(strings.TrimSpace(wd), "-")
			da, oka := weekday(a)
			db, okb := da, oka
			if isRange {
				db, okb = weekday(b)
			}
			if !oka || !okb {
				d.ErrAt(v, "work_hours.days: %q is not a day or a range of days (want mon-fri, or mon, tue, ...)", strings.TrimSpace(wd))
				bad = true
				continue
			}
			for x := da; ; x = (x + 1) % 7 {
				days[x] = true
				if x == db {
					break
				}
			}
		}
		if !bad {
			w.Days = days
		}
	}
	return w
}

// clock reads "HH:MM" as minutes after midnight; "24:00" ends a day.
func clock(s string) (int, bool) {
	s = strings.TrimSpace(s)
	var h, m int
	if len(s) < 4 || len(s) > 5 {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || h < 0 || m < 0 || m > 59 || h > 24 || h == 24 && m > 0 {
		return 0, false
	}
	return h*60 + m, true
}

func weekday(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 {
		return 0, false
	}
	for i, n := range dayNames {
		full := time.Weekday(i).String()
		if s == n || s == strings.ToLower(full) {
			return i, true
		}
	}
	return 0, false
}
