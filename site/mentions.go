package site

import (
	"html"
	"html/template"
	"strings"
)

// Bodies are rendered before profiles are read (and cached across loads of
// the preview server, whatever the profiles say), so a mention is rendered
// as written, "@tomas-novak", linked to the person's page. Once the people
// are known, nameMentions shows each mention of someone whose profile
// gives a name as that name: readers know Tomás Novák, not his handle. A
// mention of anyone else stays as written.

// mentionNames maps the ids a text mentions to the names to show, leaving
// out anyone without a named profile; nil when nobody is left.
func (s *Site) mentionNames(ids []string) map[string]string {
	var names map[string]string
	for _, id := range ids {
		p := s.byPerson[id]
		if p == nil || !p.named {
			continue
		}
		if names == nil {
			names = map[string]string{}
		}
		names[id] = p.Name
	}
	return names
}

// nameMentions rewrites the mentions in a review's body and timeline.
func (s *Site) nameMentions(r *Review, bodyMentions []string) {
	base := s.Config.BasePath()
	if names := s.mentionNames(bodyMentions); names != nil {
		// Applied as the page asks for the body: a build keeps bodies
		// compressed until then, and a rewritten copy of each would double
		// what they take.
		r.names = bodyNames{base: base, names: names}
		r.Summary = withPlainNames(r.Summary, names)
	}
	if r.Timeline == nil {
		return
	}
	for _, ev := range r.Timeline.Events {
		if names := s.mentionNames(ev.mentions); names != nil {
			ev.HTML = template.HTML(withNames(string(ev.HTML), base, names))
		}
	}
}

// bodyNames are the names a review's body shows for its mentions.
type bodyNames struct {
	base  string
	names map[string]string // nil: show mentions as written
}

func (b bodyNames) apply(h string) string {
	if b.names == nil || !strings.Contains(h, "people/") {
		return h
	}
	return withNames(h, b.base, b.names)
}

// withNames replaces the words of each mention link in h, <a
// href="BASE/people/ID/">@written</a>, with the name of ID. A link an
// author wrote to a person's page with words of their own does not start
// with "@" and is left alone.
func withNames(h, base string, names map[string]string) string {
	const open = `<a href="`
	prefix := open + html.EscapeString(base) + "people/"
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.Index(h[i:], prefix)
		if j < 0 {
			break
		}
		start := i + j + len(prefix)
		i = start
		id, rest, ok := strings.Cut(h[start:], `/">@`)
		if !ok || strings.ContainsAny(id, `/"<>`) {
			continue
		}
		name, known := names[id]
		if !known {
			continue
		}
		words := start + len(id) + len(`/">`)
		end := strings.Index(rest, "</a>")
		if end < 0 {
			break
		}
		b.WriteString(h[last:words])
		b.WriteString(html.EscapeString(name))
		last = words + 1 + end
		i = last
	}
	if last == 0 {
		return h
	}
	b.WriteString(h[last:])
	return b.String()
}

// nameBioMentions names the mentions in profiles' bios, once every
// profile has given its name.
func (s *Site) nameBioMentions() {
	var ids []string
	for id, p := range s.byPerson {
		if p.HasProfile {
			ids = append(ids, id)
		}
	}
	names := s.mentionNames(ids)
	if names == nil {
		return
	}
	base := s.Config.BasePath()
	for _, p := range s.byPerson {
		if p.HasProfile && strings.Contains(string(p.Bio), "people/") {
			p.Bio = template.HTML(withNames(string(p.Bio), base, names))
		}
	}
}

// withPlainNames replaces whole-word mentions in plain text (a summary
// taken from the body's first paragraph, shown on cards and in feeds).
func withPlainNames(t string, names map[string]string) string {
	if !strings.Contains(t, "@") {
		return t
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(t); i++ {
		if t[i] != '@' || (i > 0 && isWordByte(t[i-1])) {
			continue
		}
		j := i + 1
		for j < len(t) && (isWordByte(t[j]) || t[j] == '-' || t[j] == '.') {
			j++
		}
		for j > i+1 && (t[j-1] == '-' || t[j-1] == '.') {
			j-- // a full stop ends the sentence, not the id
		}
		name, ok := names[Normalize(t[i+1:j])]
		if !ok {
			continue
		}
		b.WriteString(t[last:i])
		b.WriteString(name)
		last, i = j, j-1
	}
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}
