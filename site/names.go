package site

import (
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
	"github.com/casebook/casebook/site/internal/slug"
)

// Slugify makes a URL path segment: lower case, unicode letters and digits
// kept, every run of anything else folded to one '-'.
func Slugify(s string) string { return slug.Make(s) }

// Normalize is the identity of a term or person: case, spaces, '_' and '-'
// fold, so "Config_Change", "config change" and " config-change " are one.
// It is the same as Slugify, which keeps term URLs and identities in step.
func Normalize(s string) string { return slug.Make(s) }

// plural is "1 review" or "2 reviews".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Error and ErrorList are diag's, named here so that callers of Load need
// not import diag to read what it returns.
type (
	Error     = diag.Error
	ErrorList = diag.ErrorList
)

// errs collects errors; it is not safe for concurrent use.
type errs = diag.Collector

// fieldAliases are other tools' names for casebook's fields, read when the
// front matter lacks casebook's own: Jekyll's and incident trackers'
// exports write start_time and end_time.
var fieldAliases = map[string][]string{
	"date":       {"start_time", "started_at", "incident_date"},
	"started":    {"start_time", "started_at"},
	"resolved":   {"end_time", "resolved_at"},
	"categories": {"category"},
	"tags":       {"keywords"},
}

// bodyTermKeys are the key/value keys of a body ("Systems: billing") that
// give a taxonomy's terms, beyond its own field, key and singular.
var bodyTermKeys = map[string][]string{
	"services": {"systems", "system", "affected services", "affected systems", "services affected", "systems affected", "impacted services",
		"impacted systems", "affected service", "components", "component", "product", "products"},
	"technologies":         {"technology", "stack", "tech"},
	"contributing_factors": {"contributing factors", "contributing factor"},
	"categories":           {"category", "type"},
}

// withAliases returns front matter in which each casebook field that is
// missing takes the value of its first alias present: casebook.yaml's
// fields: mapping, then the built-in aliases. The tree itself is not
// changed (it may be kept for casebook check).
func withAliases(f *frontmatter.Node, mapping map[string]string) *frontmatter.Node {
	var add map[string]string // casebook field → foreign key
	for field, foreign := range mapping {
		if f.Get(field) == nil && f.Get(foreign) != nil {
			if add == nil {
				add = map[string]string{}
			}
			add[field] = foreign
		}
	}
	for field, aliases := range fieldAliases {
		if f.Get(field) != nil || add[field] != "" {
			continue
		}
		if _, mapped := mapping[field]; mapped {
			continue
		}
		for _, a := range aliases {
			if f.Get(a) != nil {
				if add == nil {
					add = map[string]string{}
				}
				add[field] = a
				break
			}
		}
	}
	if add == nil {
		return f
	}
	out := *f
	out.Fields = make(map[string]*frontmatter.Node, len(f.Fields)+len(add))
	for k, v := range f.Fields {
		out.Fields[k] = v
	}
	out.Keys = append([]string{}, f.Keys...)
	for field, foreign := range add {
		out.Fields[field] = f.Fields[foreign]
		out.Keys = append(out.Keys, field)
	}
	return &out
}

// nameDate is a date read from a review's file or folder names, and how
// much of it they give: a day, or only a month or a year (a folder
// 2021/05/), which a date stated in the body outranks.
type nameDate struct {
	t       time.Time
	partial bool
	from    string
}

var (
	isoDayRe    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:\D|$)`)
	compactRe   = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})(?:[_\-. ]|$)`)
	dayFirstRe  = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{4})(?:\D|$)`)
	yearRe      = regexp.MustCompile(`^(\d{4})$`)
	yearMonthRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	monthRe     = regexp.MustCompile(`^(\d{1,2})$`)
	monthDayRe  = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})(?:\D|$)`)
	dayRe       = regexp.MustCompile(`^(\d{1,2})(?:[_\-. ]|$)`)
)

// datesFromNames reads the common ways teams date reviews in names:
// 2024-03-13-x, 2021-5-22-x, 20220514_x and 24-10-2024-x file names, and
// YYYY/MM/ or YYYY-MM/ folders with MM-DD-x or DD-x file names in them.
// A day-first name whose fields could be either (04-05-2024) is read day
// first, as most of the world writes it; the note says so.
func datesFromNames(p string, loc *time.Location) (nameDate, bool) {
	name := path.Base(p)
	date := func(y, m, d string) (time.Time, bool) {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(m)
		di, _ := strconv.Atoi(d)
		if yi < 1970 || yi > 2200 || mi < 1 || mi > 12 || di < 1 || di > 31 {
			return time.Time{}, false
		}
		t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, loc)
		if t.Day() != di { // 31 April
			return time.Time{}, false
		}
		return t, true
	}
	if m := isoDayRe.FindStringSubmatch(name); m != nil {
		if t, ok := date(m[1], m[2], m[3]); ok {
			return nameDate{t: t, from: "the file name"}, true
		}
	}
	if m := compactRe.FindStringSubmatch(name); m != nil {
		if t, ok := date(m[1], m[2], m[3]); ok {
			return nameDate{t: t, from: "the file name"}, true
		}
	}
	if m := dayFirstRe.FindStringSubmatch(name); m != nil {
		d, mo := m[1], m[2]
		from := "the file name"
		if a, _ := strconv.Atoi(d); a <= 12 {
			if b, _ := strconv.Atoi(mo); b <= 12 && a != b {
				from = "the file name, read day first"
			} else if b > 12 {
				d, mo = mo, d // month first: 10-24-2024
			}
		}
		if t, ok := date(m[3], mo, d); ok {
			return nameDate{t: t, from: from}, true
		}
	}
	// Folders: the nearest that name a year, a year and month, or a month
	// under a year.
	dirs := strings.Split(path.Dir(p), "/")
	for i := len(dirs) - 1; i >= 0; i-- {
		var y, mo string
		switch {
		case yearMonthRe.MatchString(dirs[i]):
			m := yearMonthRe.FindStringSubmatch(dirs[i])
			y, mo = m[1], m[2]
		case monthRe.MatchString(dirs[i]) && i > 0 && yearRe.MatchString(dirs[i-1]):
			y, mo = dirs[i-1], dirs[i]
		case yearRe.MatchString(dirs[i]):
			y = dirs[i]
		default:
			continue
		}
		if mo == "" {
			if t, ok := date(y, "1", "1"); ok {
				return nameDate{t: t, partial: true, from: "its folder's year"}, true
			}
			return nameDate{}, false
		}
		if m := monthDayRe.FindStringSubmatch(name); m != nil && m[1] == strings.TrimLeft(mo, "0") || m != nil && m[1] == mo {
			if t, ok := date(y, mo, m[2]); ok {
				return nameDate{t: t, from: "the folder and file name"}, true
			}
		}
		if m := dayRe.FindStringSubmatch(name); m != nil {
			if t, ok := date(y, mo, m[1]); ok {
				return nameDate{t: t, from: "the folder and file name"}, true
			}
		}
		if t, ok := date(y, mo, "1"); ok {
			return nameDate{t: t, partial: true, from: "its folder's month"}, true
		}
		return nameDate{}, false
	}
	return nameDate{}, false
}

var (
	// datePrefixRe matches the date forms datesFromNames reads at the
	// start of a name, with the separator after them.
	namePrefixRe = regexp.MustCompile(`^(?:\d{4}-\d{1,2}-\d{1,2}|\d{8}|\d{1,2}-\d{1,2}-\d{4})(?:[_\-. ]+|$)`)
	// idPrefixRe matches a tracker's id at the start of a name:
	// PM2021-004, INC-1234, 001, SEC_12.
	idPrefixRe = regexp.MustCompile(`^(?:[A-Za-z]{1,6}[-_]?\d[\d\-_]*|\d{1,6})(?:\s*[-_:.]\s*|\s+)`)
)

// titleFromName makes a title from a file or bundle name: without its
// date or id prefix, words split at - and _, the first letter upper case.
// "PM2021-004 - ADFS outage" → "ADFS outage"; "001-db-failover" → "Db
// failover" is humbler than "DB failover", so words already written in
// capitals stay so.
func titleFromName(name string) string {
	s := name
	for {
		t := namePrefixRe.ReplaceAllString(s, "")
		t = idPrefixRe.ReplaceAllString(t, "")
		if t == s || strings.TrimSpace(t) == "" {
			break
		}
		s = t
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// parseLooseDate reads a date as a review's body states it: the front
// matter forms, or "14 June 2022", "June 14th, 2022", "24/10/2024",
// "2024-03-13 14:05 UTC".
func parseLooseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(strings.Trim(s, "*_`~ "))
	if t, ok := frontmatter.ParseTime(s, loc); ok {
		return t, true
	}
	if t, ok := markdown.ParseDate(s, loc); ok {
		return t, true
	}
	s = ordinalRe.ReplaceAllString(s, "$1")
	s = strings.TrimSuffix(strings.TrimSuffix(s, " UTC"), " GMT")
	for _, l := range []string{"2006-01-02 15:04", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2 2006",
		"2 January 2006 15:04", "January 2, 2006, 15:04", "January 2, 2006 3:04 PM", "January 2, 2006, 3:04 PM", "02/01/2006", "2/1/2006",
		"2006/01/02", "02.01.2006", "Monday, January 2, 2006", "Mon, 2 Jan 2006"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	if m := isoDayRe.FindStringSubmatch(s); m != nil {
		if t, ok := frontmatter.ParseTime(m[1]+"-"+pad2(m[2])+"-"+pad2(m[3]), loc); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

var ordinalRe = regexp.MustCompile(`(\d)(?:st|nd|rd|th)\b`)

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
