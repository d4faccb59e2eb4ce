package scaffold

import (
	"bytes"
	"strings"
)

// FromNomination is what a review started from a nomination keeps of it:
// its terms, why it was nominated and by whom, and any notes its body
// holds. Title and date are Data's.
type FromNomination struct {
	Why         string
	NominatedBy string              // a person id; "" when nobody is named
	Terms       map[string][]string // front matter field → terms as written
	Notes       []byte              // the nomination's body, as written
}

// WhyHeading is the section a review started from a nomination opens
// with: why:, then the nomination's notes.
const WhyHeading = "Why we are reviewing this"

// terms is a taxonomy field's value, "" when the nomination gives none.
func (n *FromNomination) terms(field string) string {
	if n == nil || len(n.Terms[field]) == 0 {
		return ""
	}
	vs := make([]string, len(n.Terms[field]))
	for i, t := range n.Terms[field] {
		vs[i] = yamlString(t)
	}
	return "[" + strings.Join(vs, ", ") + "]"
}

// frontMatter writes who nominated the incident; why is the first
// section's, where it can grow.
func (n *FromNomination) frontMatter(field func(kv, comment string)) {
	if n == nil {
		return
	}
	if n.NominatedBy != "" {
		field("nominated_by: "+yamlString(n.NominatedBy), "who nominated the incident for this review")
	}
}

// body writes the section that carries why: and the notes, so that the
// reason for the review is where its readers start.
func (n *FromNomination) body(b *bytes.Buffer) {
	if n == nil {
		return
	}
	b.WriteString("## " + WhyHeading + "\n\n")
	b.WriteString(n.Why)
	b.WriteString("\n\n")
	if notes := bytes.TrimSpace(n.Notes); len(notes) > 0 {
		b.Write(notes)
		b.WriteString("\n\n")
	}
}
