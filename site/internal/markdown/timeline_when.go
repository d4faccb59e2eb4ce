package markdown

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// This file reads the times real postmortems write in their timelines,
// which are rarely casebook's YYYY-MM-DD HH:MM: "June 14th, 2022, 10:00
// AM", "24-10-2024 04:00", "~19:30", "09:00 - 11:00", "14:??".

// whenStatus is what reading a written time found.
type whenStatus int

const (
	whenOK          whenStatus = iota
	whenPlaceholder            // a template's "HH:mm": the row is skipped
	whenNoDate                 // a clock time before any date
	whenUnreadable             // kept as an event without a time
)

var (
	isoDateRe   = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`)
	dmyDateRe   = regexp.MustCompile(`^(\d{1,2})([-./])(\d{1,2})[-./](\d{4})`)
	monthDayRe  = regexp.MustCompile(`^(?i)([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	dayMonthRe  = regexp.MustCompile(`^(?i)(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?(?:,?\s+(\d{4}))?`)
	weekdayRe   = regexp.MustCompile(`^(?i)(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+`)
	clockRe     = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\.?\b)?`)
	zoneRe      = regexp.MustCompile(`^(?i)(utc|gmt|z\b|[+-]\d{2}:?\d{2}|[a-z]{3,4}\b)`)
	placeholdRe = regexp.MustCompile(`(?i)^(~?\s*(\d{4}-\d{2}-\d{2}\s+)?(hh|xx|\?\?)[:.]?(mm|xx|\?\?)|tbd|tba|\?+)$`)
	rangeEndRe  = regexp.MustCompile(`^\s*(?:[-–—]|to\b)\s*\S*$`)
)

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// zoneOffsets are the zone abbreviations postmortems write after times,
// in hours east of UTC. Others are read in the library's zone.
var zoneOffsets = map[string]int{
	"utc": 0, "gmt": 0, "z": 0, "pst": -8, "pdt": -7, "mst": -7, "mdt": -6, "cst": -6, "cdt": -5,
	"est": -5, "edt": -4, "cet": 1, "cest": 2, "bst": 1, "eet": 2, "eest": 3, "jst": 9, "aest": 10,
}

// readDate reads a date at the start of s: 2024-03-13, 24-10-2024 (day
// first with dashes or dots), 06/14/2022 (month first with slashes, unless
// the first number cannot be a month), June 14th, 2022, 14 June 2022. A
// date without a year takes yearOf's. It returns the rest of s.
func readDate(s string, yearOf time.Time) (y int, m time.Month, d int, rest string, ok bool) {
	s = weekdayRe.ReplaceAllString(s, "")
	if g := isoDateRe.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		mi, _ := strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
		return y, time.Month(mi), d, s[len(g[0]):], validDate(y, mi, d)
	}
	if g := dmyDateRe.FindStringSubmatch(s); g != nil {
		a, _ := strconv.Atoi(g[1])
		b, _ := strconv.Atoi(g[3])
		y, _ = strconv.Atoi(g[4])
		d, mi := a, b
		if g[2] == "/" && a <= 12 && b > 0 {
			d, mi = b, a
		}
		if mi > 12 && d <= 12 {
			d, mi = mi, d
		}
		return y, time.Month(mi), d, s[len(g[0]):], validDate(y, mi, d)
	}
	named := func(name, day, year string) bool {
		mo, known := monthNames[strings.ToLower(name)]
		if !known {
			return false
		}
		m = mo
		d, _ = strconv.Atoi(day)
		if year != "" {
			y, _ = strconv.Atoi(year)
		} else if !yearOf.IsZero() {
			y = yearOf.Year()
		} else {
			return false
		}
		return validDate(y, int(m), d)
	}
	if g := monthDayRe.FindStringSubmatch(s); g != nil && named(g[1], g[2], g[3]) {
		return y, m, d, s[len(g[0]):], true
	}
	if g := dayMonthRe.FindStringSubmatch(s); g != nil && named(g[2], g[1], g[3]) {
		return y, m, d, s[len(g[0]):], true
	}
	return 0, 0, 0, s, false
}

func validDate(y, m, d int) bool {
	return y >= 1970 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// readClock reads a time of day and its zone at the start of s.
func readClock(s string, loc *time.Location) (h, mi, sec int, zone *time.Location, rest string, ok bool) {
	g := clockRe.FindStringSubmatch(s)
	if g == nil {
		return 0, 0, 0, nil, s, false
	}
	h, _ = strconv.Atoi(g[1])
	mi, _ = strconv.Atoi(g[2])
	if g[3] != "" {
		sec, _ = strconv.Atoi(g[3])
	}
	switch strings.ToLower(g[4]) {
	case "p":
		if h < 12 {
			h += 12
		}
	case "a":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return 0, 0, 0, nil, s, false
	}
	rest, zone = strings.TrimLeft(s[len(g[0]):], " "), loc
	if z := zoneRe.FindString(rest); z != "" {
		lz := strings.ToLower(z)
		if off, known := zoneOffsets[lz]; known {
			zone = time.FixedZone(strings.ToUpper(z), off*3600)
			if off == 0 {
				zone = time.UTC
			}
			rest = rest[len(z):]
		} else if lz[0] == '-' && strings.Contains(lz, ":") {
			// "14:26-14:30" is a range, not a zone 14½ hours west: an
			// offset with a colon is written +HH:MM or after a space as
			// -HHMM, and west of UTC is rarer in a timeline than a range.
		} else if lz[0] == '+' || lz[0] == '-' {
			hh, _ := strconv.Atoi(lz[1:3])
			mm, _ := strconv.Atoi(strings.TrimPrefix(lz[3:], ":"))
			off := hh*3600 + mm*60
			if lz[0] == '-' {
				off = -off
			}
			zone, rest = time.FixedZone(z, off), rest[len(z):]
		}
	}
	return h, mi, sec, zone, rest, true
}

// lenient reads a time as real timelines write it, carrying the date from
// row to row as parse does. dateOnly reports a row that gives a day and
// no time. The text after the time must be empty, the end of a range
// ("09:00 - 11:00", "12:26-12:??"), or a "~" or "(approx.)".
func (tp *timeParser) lenient(s string) (t time.Time, dateOnly bool, st whenStatus) {
	s = strings.TrimSpace(s)
	if t, ok := tp.parse(s); ok {
		return t, false, whenOK
	}
	s = strings.TrimSpace(strings.Trim(s, "~≈*_`"))
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "approx."), "ca."))
	if s == "" || placeholdRe.MatchString(s) {
		return time.Time{}, false, whenPlaceholder
	}
	if t, ok := tp.parse(s); ok {
		return t, false, whenOK
	}
	y, m, d, rest, hasDate := readDate(s, tp.last)
	rest = strings.TrimLeft(rest, " ,T")
	rest = strings.TrimSpace(strings.TrimPrefix(rest, "at "))
	if strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "– ") {
		rest = strings.TrimSpace(rest[strings.IndexByte(rest, ' '):])
	}
	h, mi, sec, zone, after, hasClock := readClock(rest, tp.loc)
	if !hasClock {
		after = rest
	}
	after = strings.TrimSpace(strings.Trim(strings.TrimSpace(after), "~≈"))
	after = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(after, "(approx.)"), "(approx)"))
	if after != "" && !rangeEndRe.MatchString(after) {
		return time.Time{}, false, whenUnreadable
	}
	switch {
	case hasDate && hasClock:
		t = time.Date(y, m, d, h, mi, sec, 0, zone)
	case hasDate:
		t = time.Date(y, m, d, 0, 0, 0, 0, tp.loc)
		tp.last = t
		return t, true, whenOK
	case hasClock && tp.last.IsZero():
		return time.Time{}, false, whenNoDate
	case hasClock:
		ly, lm, ld := tp.last.Date()
		t = time.Date(ly, lm, ld, h, mi, sec, 0, zone)
		if t.Before(tp.last) {
			t = t.AddDate(0, 0, 1)
		}
	default:
		return time.Time{}, false, whenUnreadable
	}
	tp.last = t
	return t, false, whenOK
}

// looksTimed reports whether s starts the way a written time does, so
// that a line whose time cannot be read is still known to be an event.
func looksTimed(s string) bool {
	s = strings.TrimLeft(s, "~≈ *_`")
	if s == "" {
		return false
	}
	if c := s[0]; '0' <= c && c <= '9' {
		return true
	}
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "hh:") || strings.HasPrefix(lower, "xx:") || strings.HasPrefix(lower, "??") {
		return true
	}
	if g := monthDayRe.FindStringSubmatch(s); g != nil {
		_, ok := monthNames[strings.ToLower(g[1])]
		return ok
	}
	return false
}

// ParseDate reads a date, with or without a time, as a body writes it
// ("2024-03-13", "June 14th, 2022, 10:00 AM", "24-10-2024 04:00"), in
// loc. The model uses it for the dates Structure gives as written.
func ParseDate(s string, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	tp := &timeParser{loc: loc}
	t, _, st := tp.lenient(s)
	if st != whenOK {
		return time.Time{}, false
	}
	return t, true
}
