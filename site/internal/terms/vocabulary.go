package terms

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed vocabulary.txt
var vocabularyText string

//go:embed commonwords.txt
var commonWordsText string

// BuiltinTaxonomy is the taxonomy of every built-in entry.
const BuiltinTaxonomy = "technologies"

// tier is how much evidence a form needs before it counts.
type tier uint8

const (
	strong    tier = iota // any case
	exact                 // only written as in the vocabulary (ELK, NATS)
	proper                // a common word: a proper noun, or beside a qualifier
	qualified             // only as written and beside a qualifier
)

// spec is one form of an entry, as written, with its tier.
type spec struct {
	text string
	tier tier
}

// quals are the words that, beside a proper or qualified form, show it
// names the technology.
type quals struct {
	after, before map[string]bool
	version       bool // a version number after ("Go 1.22")
}

func (q *quals) merge(o *quals) {
	if o == nil {
		return
	}
	for w := range o.after {
		q.after[w] = true
	}
	for w := range o.before {
		q.before[w] = true
	}
	q.version = q.version || o.version
}

func newQuals() *quals { return &quals{after: map[string]bool{}, before: map[string]bool{}} }

var builtin = sync.OnceValue(func() []Entry {
	es, err := parseVocabulary(vocabularyText)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return es
})

// commonWords are words of prose that a library's own terms may be named
// after (see commonwords.txt).
var commonWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonWordsText, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			m[w] = true
		}
	}
	return m
})

// Builtin returns the built-in vocabulary, a new slice each call: a few
// hundred common technologies, all in BuiltinTaxonomy. A caller may change
// an entry's Taxonomy before passing it to Compile; its forms and the
// evidence each needs stay as built in.
func Builtin() []Entry {
	b := builtin()
	out := make([]Entry, len(b))
	for i, e := range b {
		out[i] = e
		out[i].Aliases = append([]string(nil), e.Aliases...)
	}
	return out
}

// parseVocabulary reads vocabulary.txt's format (described in the file).
func parseVocabulary(src string) ([]Entry, error) {
	sets := map[string][]string{}
	var out []Entry
	seen := map[string]bool{}
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '@' {
			name, words, ok := strings.Cut(line, "=")
			if !ok {
				return nil, fmt.Errorf("vocabulary.txt:%d: a set needs =", n+1)
			}
			sets[strings.TrimSpace(name)] = strings.Fields(words)
			continue
		}
		fields := strings.Split(line, "|")
		if len(fields) < 3 || len(fields) > 5 {
			return nil, fmt.Errorf("vocabulary.txt:%d: want id | title | forms [| qualifiers [| context]]", n+1)
		}
		e := Entry{ID: strings.TrimSpace(fields[0]), Title: strings.TrimSpace(fields[1]), Taxonomy: BuiltinTaxonomy}
		if e.ID == "" || e.Title == "" || seen[e.ID] {
			return nil, fmt.Errorf("vocabulary.txt:%d: missing or repeated id or title", n+1)
		}
		seen[e.ID] = true
		if len(fields) == 5 {
			e.context = strings.Fields(strings.ToLower(fields[4]))
			if len(e.context) > 32 {
				return nil, fmt.Errorf("vocabulary.txt:%d: at most 32 context words", n+1)
			}
		}
		for _, f := range strings.Split(fields[2], ",") {
			f = strings.TrimSpace(f)
			s := spec{text: f, tier: strong}
			switch {
			case strings.HasPrefix(f, "^"):
				s = spec{f[1:], proper}
			case strings.HasPrefix(f, "?"):
				s = spec{f[1:], qualified}
			case strings.HasPrefix(f, "="):
				s = spec{f[1:], exact}
			}
			if s.text == "" {
				return nil, fmt.Errorf("vocabulary.txt:%d: empty form", n+1)
			}
			e.specs = append(e.specs, s)
			e.Aliases = append(e.Aliases, s.text)
		}
		if len(fields) >= 4 {
			e.quals = newQuals()
			var expand func(ws []string) error
			expand = func(ws []string) error {
				for _, w := range ws {
					switch {
					case w == "#":
						e.quals.version = true
					case strings.HasPrefix(w, "@"):
						set, ok := sets[w]
						if !ok {
							return fmt.Errorf("vocabulary.txt:%d: no set %s", n+1, w)
						}
						if err := expand(set); err != nil {
							return err
						}
					case strings.HasPrefix(w, "<"):
						e.quals.before[strings.ToLower(w[1:])] = true
					default:
						e.quals.after[strings.ToLower(w)] = true
					}
				}
				return nil
			}
			if err := expand(strings.Fields(fields[3])); err != nil {
				return nil, err
			}
		}
		for _, s := range e.specs {
			if s.tier == qualified && e.quals == nil {
				return nil, fmt.Errorf("vocabulary.txt:%d: %s needs qualifiers", n+1, s.text)
			}
		}
		out = append(out, e)
	}
	return out, nil
}
