package slack

import (
	"strings"
)

// markdown rewrites a message's Slack markup ("mrkdwn") as one line of
// the inline Markdown a timeline's TEXT is: <@U123> as @person, <url|label>
// as [label](url), *bold* as **bold**, _italic_ as *italic*, ~strike~ as
// ~~strike~~, code kept, and line breaks as " / ".
func (m *matcher) markdown(text string) string {
	var b strings.Builder
	for len(text) > 0 {
		switch {
		case strings.HasPrefix(text, "```"):
			code, rest, ok := strings.Cut(text[3:], "```")
			if !ok {
				b.WriteString(escapeText(text))
				text = ""
				continue
			}
			b.WriteString(codeSpan(oneLine(decode(code))))
			text = rest
		case text[0] == '`':
			code, rest, ok := strings.Cut(text[1:], "`")
			if !ok || code == "" || strings.Contains(code, "\n") {
				b.WriteString("\\`")
				text = text[1:]
				continue
			}
			b.WriteString(codeSpan(decode(code)))
			text = rest
		case text[0] == '<':
			inner, rest, ok := strings.Cut(text[1:], ">")
			if !ok {
				b.WriteString("\\<")
				text = text[1:]
				continue
			}
			b.WriteString(m.entity(inner))
			text = rest
		default:
			i := strings.IndexAny(text, "`<")
			if i < 0 {
				i = len(text)
			}
			b.WriteString(emphasis(escapeText(decode(text[:i]))))
			text = text[i:]
		}
	}
	return oneLine(b.String())
}

// entity rewrites what Slack writes between < and >: a mention, a channel,
// a special mention or a link.
func (m *matcher) entity(inner string) string {
	ref, label, _ := strings.Cut(inner, "|")
	label = decode(label)
	switch {
	case strings.HasPrefix(ref, "@"):
		return "@" + m.id(ref[1:])
	case strings.HasPrefix(ref, "#"):
		if label == "" {
			for _, c := range m.x.Channels {
				if c.ID == ref[1:] {
					label = c.Name
				}
			}
		}
		if label == "" {
			label = ref[1:]
		}
		return "#" + escapeText(label)
	case strings.HasPrefix(ref, "!"):
		// @here, @channel and user groups are written without the '@',
		// which casebook would read as a person.
		if label != "" && !strings.HasPrefix(ref, "!subteam") {
			return escapeText(label) // a date's fallback text
		}
		name := strings.TrimPrefix(label, "@")
		if name == "" {
			name = strings.TrimPrefix(ref, "!")
		}
		return "!" + escapeText(name)
	}
	url := decode(ref)
	if label == "" {
		if strings.HasPrefix(url, "mailto:") {
			return escapeText(strings.TrimPrefix(url, "mailto:"))
		}
		return url
	}
	return "[" + escapeLabel(label) + "](" + strings.ReplaceAll(url, ")", "%29") + ")"
}

// decode undoes the only escaping Slack does.
func decode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

// escapeText keeps characters that Slack shows as typed from being read as
// Markdown or HTML: '<' (raw HTML is dropped), '[' and '\'.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "<[]\\") {
		return s
	}
	return strings.NewReplacer("\\", "\\\\", "<", "\\<", "[", "\\[", "]", "\\]").Replace(s)
}

func escapeLabel(s string) string { return emphasis(escapeText(s)) }

// codeSpan writes code as a Markdown code span, with enough backticks
// around it for the ones inside.
func codeSpan(code string) string {
	code = strings.Trim(code, "\n")
	if code == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	if strings.HasPrefix(code, "`") || strings.HasSuffix(code, "`") {
		code = " " + code + " "
	}
	return fence + code + fence
}

// oneLine joins a message's lines: a timeline event is one line.
func oneLine(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var kept []string
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, " / ")
}

// emphasis rewrites Slack's *bold*, _italic_ and ~strike~ in plain text.
// As in Slack, a marker opens at the start or after a character that is
// not a letter or digit, closes before one, and encloses no line break and
// no space next to either marker: snake_case_names and 2*3*4 stay as they are.
func emphasis(s string) string {
	if !strings.ContainsAny(s, "*_~") {
		return s
	}
	var b strings.Builder
	// A marker left as it is must not be Markdown's either: 2*3*4 is
	// emphasis to CommonMark.
	literal := func(i int) {
		if c := s[i]; c == '*' || c == '~' || c == '_' && (i == 0 || i+1 == len(s) || !isWord(s[i-1]) || !isWord(s[i+1])) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		md, ok := markers[c]
		if !ok {
			b.WriteByte(c)
			continue
		}
		if (i > 0 && isWord(s[i-1])) || i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == c {
			literal(i)
			continue
		}
		end := -1
		for j := i + 1; j < len(s) && s[j] != '\n'; j++ {
			if s[j] == c && s[j-1] != ' ' && (j+1 == len(s) || !isWord(s[j+1])) {
				end = j
				break
			}
		}
		if end < 0 {
			literal(i)
			continue
		}
		b.WriteString(md + emphasis(s[i+1:end]) + md)
		i = end
	}
	return b.String()
}

// markers are Slack's emphasis markers and the Markdown for each.
var markers = map[byte]string{'*': "**", '_': "*", '~': "~~"}

func isWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80
}
