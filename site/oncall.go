package site

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
)

// RotaFile is the on-call rota's name at the library root.
const RotaFile = "oncall.yaml"

// Shift is one entry of the on-call rota: a person on call for some
// services (every service when none is named) from From until To.
type Shift struct {
	Person   *Person
	Services []string // normalised service ids; nil for every service
	From, To time.Time
	Line     int
}

// covers reports whether the shift had its person on call at t for a
// review of these services; a review that names no service is covered by
// any shift at the time, since who was paged for it cannot be told apart.
func (sh *Shift) covers(t time.Time, services []string) bool {
	if t.Before(sh.From) || !t.Before(sh.To) {
		return false
	}
	if sh.Services == nil || len(services) == 0 {
		return true
	}
	for _, s := range services {
		if slices.Contains(sh.Services, s) {
			return true
		}
	}
	return false
}

// rawShift is a shift as read, before its person is known to exist.
type rawShift struct {
	Shift
	person    string
	line, col int // of the person's id
}

// idRef is a person id written in front matter, with where.
type idRef struct {
	id        string
	line, col int
}

// readIDRefs reads a list of person ids, keeping each one's position so
// that an unknown id can be reported where it is written.
func readIDRefs(d *frontmatter.Decoder, f *frontmatter.Node, key string) []idRef {
	v := f.Get(key)
	ids := d.List(f, key)
	if len(ids) == 0 {
		return nil
	}
	items := []*frontmatter.Node{v}
	if v.Kind == frontmatter.ListNode {
		items = slices.DeleteFunc(slices.Clone(v.Items), func(it *frontmatter.Node) bool {
			return it.Kind != frontmatter.ScalarNode || strings.TrimSpace(it.Str) == ""
		})
	}
	out := make([]idRef, 0, len(ids))
	for i, id := range ids {
		ref := idRef{id: Normalize(id), line: v.Line, col: v.Col}
		if i < len(items) {
			ref.line, ref.col = items[i].Line, items[i].Col
		}
		out = append(out, ref)
	}
	return out
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// readRota reads oncall.yaml: a list of shifts, each a mapping of
// person, service (one or a list; optional) and from and to (dates or
// times in the library's time zone; a date alone as to: means to the end
// of that day). The file is optional. Shape and date problems are errors;
// a person overlapping their own shift for the same service is a note.
func readRota(fsys fs.FS, cfg *Config, e *errs) []rawShift {
	src, err := fs.ReadFile(fsys, RotaFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		e.Add(RotaFile, 0, 0, "cannot read: %v", err)
		return nil
	}
	root, err := frontmatter.ParseYAML(src)
	if err != nil {
		var pe *frontmatter.PosError
		if errors.As(err, &pe) {
			e.Add(RotaFile, pe.Line, pe.Col, "%s", pe.Msg)
		} else {
			e.Add(RotaFile, 1, 1, "%v", err)
		}
		return nil
	}
	d := &frontmatter.Decoder{Path: RotaFile, Errs: e, Loc: cfg.Location}
	if root.Kind == frontmatter.NullNode {
		return nil
	}
	if root.Kind != frontmatter.ListNode {
		d.ErrAt(root, "the rota must be a list of shifts, each with person, from, to and optionally service")
		return nil
	}
	svcKey := cfg.ExpertiseTaxonomies.Services
	var out []rawShift
	for _, it := range root.Items {
		if it.Kind != frontmatter.MapNode {
			d.ErrAt(it, "a shift must be a mapping of person, service, from and to")
			continue
		}
		bad := false
		for _, k := range it.Keys {
			switch k {
			case "person", "service", "services", "from", "to":
			default:
				p := it.KeyPos[k]
				e.Add(RotaFile, p[0], p[1], "unknown key %q (want person, service, from, to)", k)
			}
		}
		sh := rawShift{Shift: Shift{Line: it.Line}, line: it.Line, col: it.Col}
		if pn := it.Get("person"); pn != nil {
			sh.line, sh.col = pn.Line, pn.Col
		}
		sh.person = Normalize(d.Str(it, "person"))
		if sh.person == "" {
			d.ErrAt(it, "a shift needs a person")
			bad = true
		}
		for _, k := range []string{"service", "services"} {
			for _, s := range d.List(it, k) {
				id := Normalize(s)
				if svcKey != "" {
					id = cfg.Canonical(svcKey, s)
				}
				sh.Services = append(sh.Services, id)
			}
		}
		var ok bool
		for _, k := range []string{"from", "to"} {
			if it.Get(k) == nil {
				d.ErrAt(it, "a shift needs %s (a date, or a date and time)", k)
				bad = true
			}
		}
		if sh.From, ok = d.Time(it, "from"); !ok {
			bad = true
		}
		if sh.To, ok = d.Time(it, "to"); !ok {
			bad = true
		} else if dateOnly.MatchString(strings.TrimSpace(it.Get("to").Str)) {
			sh.To = sh.To.AddDate(0, 0, 1) // the whole of that day
		}
		if bad {
			continue
		}
		if !sh.From.Before(sh.To) {
			d.ErrAt(it.Get("to"), "to: the shift ends (%s) before it starts (%s)", strings.TrimSpace(it.Get("to").Str), strings.TrimSpace(it.Get("from").Str))
			continue
		}
		out = append(out, sh)
	}
	noteOverlaps(out, e)
	return out
}

// noteOverlaps notes a shift that overlaps an earlier one of the same
// person for a service they share: a copy-paste slip, most likely. Each
// person's shifts are swept in order of start against those still
// running, so a rota of years costs its length, not its square.
func noteOverlaps(shifts []rawShift, e *errs) {
	byPerson := map[string][]*rawShift{}
	var people []string
	for i := range shifts {
		sh := &shifts[i]
		if byPerson[sh.person] == nil {
			people = append(people, sh.person)
		}
		byPerson[sh.person] = append(byPerson[sh.person], sh)
	}
	for _, id := range people {
		list := byPerson[id]
		slices.SortStableFunc(list, func(a, b *rawShift) int { return a.From.Compare(b.From) })
		var running []*rawShift
		for _, sh := range list {
			running = slices.DeleteFunc(running, func(r *rawShift) bool { return !r.To.After(sh.From) })
			for _, prev := range running {
				if sharesService(prev.Services, sh.Services) {
					e.Note(RotaFile, sh.line, sh.col, "%s is already on call then (the shift at line %d): the two shifts overlap", sh.person, prev.Line)
					break
				}
			}
			running = append(running, sh)
		}
	}
}

func sharesService(a, b []string) bool {
	if a == nil || b == nil {
		return true
	}
	for _, s := range a {
		if slices.Contains(b, s) {
			return true
		}
	}
	return false
}
