package lint

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/frontmatter"
)

// Phrase is a blameless-language hint.
type Phrase struct {
	Text string
	// Why explains, in a sentence, what the phrase does to a review and
	// what to write instead.
	Why string
	// Except lists longer phrases containing Text in which it is fine
	// ("just before" is about time, not effort).
	Except []string
}

// DefaultPhrases are the blameless-language hints used unless casebook.yaml
// replaces them with lint.blameless_phrases.
func DefaultPhrases() []Phrase {
	return []Phrase{
		{Text: "human error", Why: "'human error' ends the inquiry where it should begin: ask what made the action reasonable at the time"},
		{Text: "should have", Why: "'should have' judges with hindsight: describe what people knew and saw at the time, and what made the other path hard to see"},
		{Text: "should've", Why: "'should've' judges with hindsight: describe what people knew and saw at the time, and what made the other path hard to see"},
		{Text: "failed to", Why: "'failed to' frames what happened as someone's shortfall: say what was done, and what shaped it"},
		{Text: "careless", Why: "'careless' describes a person, not a situation: describe the conditions that made the slip easy to make"},
		{Text: "negligence", Why: "'negligence' is a verdict, and verdicts stop people telling you what really happened: look for conditions, not culprits"},
		{Text: "root cause", Why: "incidents rarely have a single root cause: name the contributing factors and how they combined"},
		{Text: "obviously", Why: "'obviously' is hindsight: if it had been obvious at the time, it would not have happened"},
		{Text: "just", Why: "'just' makes work sound trivial ('just restart it'): say what it took, and what it risked",
			Except: []string{"not just", "only just", "just before", "just after", "just as", "just under", "just over", "just in time", "just now", "just in case"}},
		{Text: "why didn't", Why: "'why didn't ...?' asks for a justification: ask what made the other course seem right at the time"},
	}
}

const genericWhy = "words like this tend to assign blame or end the inquiry: describe what people knew, saw and did, and why it made sense at the time"

// settings are casebook.yaml's lint: mapping, read.
type settings struct {
	disabled map[string]bool
	phrases  []*phraseMatcher
}

type phraseMatcher struct {
	Phrase
	re     *regexp.Regexp
	except []*regexp.Regexp
	// needle is the phrase's leading letters, lower case: text without
	// it cannot match, which spares most blocks the regular expression.
	needle []byte
}

// phraseRe makes the pattern for a phrase: whole words, any case, spaces
// matching any run of white space or hyphens, apostrophes matching ' or ’,
// and an optional plural ending.
func phraseRe(s string, pluralEnd bool) *regexp.Regexp {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		w = regexp.QuoteMeta(w)
		w = strings.NewReplacer("'", "['’]", "’", "['’]").Replace(w)
		words[i] = w
	}
	end := `\b`
	if pluralEnd {
		end = `(?:e?s)?\b`
	}
	return regexp.MustCompile(`(?i)\b` + strings.Join(words, `[\s\-]+`) + end)
}

func newPhraseMatcher(p Phrase) *phraseMatcher {
	m := &phraseMatcher{Phrase: p, re: phraseRe(p.Text, true)}
	for _, r := range strings.ToLower(p.Text) {
		if !unicode.IsLetter(r) {
			break
		}
		m.needle = utf8.AppendRune(m.needle, r)
	}
	for _, e := range p.Except {
		m.except = append(m.except, phraseRe(e, false))
	}
	return m
}

var settingsKeys = []string{"disable", "blameless_phrases", "extra_blameless_phrases"}

func (c *checker) readSettings() *settings {
	s := &settings{disabled: map[string]bool{}}
	root := c.cfg.Node()
	n := root.Get("lint")
	warn := func(n *frontmatter.Node, hint, format string, args ...any) {
		line, col := 0, 0
		if n != nil {
			line, col = n.Line, n.Col
		}
		c.findings = append(c.findings, Finding{Path: site.ConfigFile, Line: line, Col: col, Severity: Warning,
			Rule: "lint-config", Message: fmt.Sprintf(format, args...), Hint: hint})
	}
	phrases := DefaultPhrases()
	if n == nil || n.Kind == frontmatter.NullNode {
		s.phrases = matchers(phrases)
		return s
	}
	if n.Kind != frontmatter.MapNode {
		warn(n, "write lint: {disable: [...], blameless_phrases: [...]}", "lint must be a mapping")
		s.phrases = matchers(phrases)
		return s
	}
	for _, k := range n.Keys {
		known := false
		for _, sk := range settingsKeys {
			known = known || k == sk
		}
		if !known {
			kp := n.KeyPos[k]
			c.findings = append(c.findings, Finding{Path: site.ConfigFile, Line: kp[0], Col: kp[1], Severity: Warning,
				Rule: "lint-config", Message: fmt.Sprintf("lint: unknown setting %q", k), Hint: "want one of " + strings.Join(settingsKeys, ", ")})
		}
	}
	if d := n.Get("disable"); d != nil && d.Kind != frontmatter.NullNode {
		if d.Kind == frontmatter.MapNode {
			warn(d, "", "lint.disable must be a list of rule names")
		}
		for _, it := range items(d) {
			name := strings.TrimSpace(it.Str)
			switch {
			case name == "build":
				warn(it, "fix the problems instead: the build fails on them", "lint.disable: the build rule cannot be disabled")
			case !isRule(name):
				warn(it, "rules: "+ruleNames(), "lint.disable: no rule named %q", name)
			default:
				s.disabled[name] = true
			}
		}
	}
	readList := func(key string) ([]Phrase, bool) {
		l := n.Get(key)
		if l == nil || l.Kind == frontmatter.NullNode {
			return nil, l != nil
		}
		if l.Kind != frontmatter.ListNode {
			warn(l, "", "lint.%s must be a list of phrases", key)
			return nil, false
		}
		var out []Phrase
		for _, it := range l.Items {
			switch it.Kind {
			case frontmatter.ScalarNode:
				if t := strings.TrimSpace(it.Str); t != "" {
					out = append(out, Phrase{Text: t, Why: genericWhy})
				}
			case frontmatter.MapNode:
				p := Phrase{Why: genericWhy}
				if t := it.Get("phrase"); t != nil && t.Kind == frontmatter.ScalarNode {
					p.Text = strings.TrimSpace(t.Str)
				}
				if p.Text == "" {
					warn(it, "", "lint.%s: each item needs a phrase", key)
					continue
				}
				if w := it.Get("why"); w != nil && w.Kind == frontmatter.ScalarNode && strings.TrimSpace(w.Str) != "" {
					p.Why = strings.TrimSpace(w.Str)
				}
				for _, e := range items(it.Get("except")) {
					p.Except = append(p.Except, strings.TrimSpace(e.Str))
				}
				for _, k := range it.Keys {
					if k != "phrase" && k != "why" && k != "except" {
						kp := it.KeyPos[k]
						c.findings = append(c.findings, Finding{Path: site.ConfigFile, Line: kp[0], Col: kp[1], Severity: Warning,
							Rule: "lint-config", Message: fmt.Sprintf("lint.%s: unknown key %q", key, k), Hint: "want phrase, why or except"})
					}
				}
				out = append(out, p)
			default:
				warn(it, "", "lint.%s: each item must be a phrase, or a mapping with phrase, why and except", key)
			}
		}
		return out, true
	}
	if l, given := readList("blameless_phrases"); given {
		phrases = l
	}
	if l, _ := readList("extra_blameless_phrases"); len(l) > 0 {
		phrases = append(append([]Phrase{}, phrases...), l...)
	}
	s.phrases = matchers(phrases)
	return s
}

func matchers(ps []Phrase) []*phraseMatcher {
	out := make([]*phraseMatcher, 0, len(ps))
	for _, p := range ps {
		out = append(out, newPhraseMatcher(p))
	}
	return out
}

func isRule(name string) bool {
	for _, r := range Rules() {
		if r.Name == name {
			return true
		}
	}
	return false
}

func ruleNames() string {
	var names []string
	for _, r := range Rules() {
		if r.Name != "build" {
			names = append(names, r.Name)
		}
	}
	return strings.Join(names, ", ")
}
