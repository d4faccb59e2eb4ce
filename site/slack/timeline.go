package slack

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
)

// Options choose what Timeline reads and how it names people.
type Options struct {
	Channels []string // names, with or without '#'
	// From and To bound the events (To excluded); zero means unbounded.
	From, To time.Time
	Location *time.Location // the library's time zone; nil is UTC
	People   []*site.Person // the library's people, to match authors to
}

// Event is one line of the timeline: Kind, Qualifier and Source make its
// KIND column ("responder/joins [#search-incident]").
type Event struct {
	Time                    time.Time
	Kind, Qualifier, Source string
	Text                    string // inline Markdown
	ts                      string // the message's Slack timestamp, to order ties
}

// Unmatched is a Slack user whom no one in the library matches: the
// timeline names them by ID, which a profile at Profile would make a person.
type Unmatched struct {
	User *User // nil for an ID the export does not list
	ID   string
}

// Profile is the path of the profile file that would match the user.
func (u Unmatched) Profile() string { return "people/" + u.ID + ".md" }

// ProfileText is that file's content: what matches the user again next time.
func (u Unmatched) ProfileText() string {
	if u.User == nil {
		return "---\nname: " + u.ID + "\n---\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\nname: %s\nslack: %s\n", yamlString(u.User.FullName()), u.User.ID)
	if e := u.User.Profile.Email; e != "" {
		fmt.Fprintf(&b, "email: %s\n", yamlString(e))
	}
	b.WriteString("---\n")
	return b.String()
}

// yamlString quotes s when YAML would not read it back as the same text.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") || strings.Contains(s, ": ") ||
		strings.Contains(s, " #") || strings.ContainsAny(s, "\n\t") || s != strings.TrimSpace(s) {
		return strconv.Quote(s)
	}
	return s
}

// Result is a timeline and the users it could not match.
type Result struct {
	Events    []Event
	Unmatched []Unmatched // by ID
}

// skipped are subtypes that are not part of the conversation: bots, and
// edits and deletions that the export already applied to their message.
var skipped = map[string]bool{
	"bot_message": true, "bot_add": true, "bot_remove": true, "message_deleted": true,
	"tombstone": true, "joiner_notification": true, "joiner_notification_for_inviter": true,
}

// Timeline reads the chosen channels' messages and makes them events. An
// unknown channel, a file that cannot be read and malformed JSON are
// errors, all reported together.
func (x *Export) Timeline(opts Options) (*Result, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	var el site.ErrorList
	var chans []*Channel
	for _, name := range opts.Channels {
		c := x.channel(name)
		if c == nil {
			el = append(el, &site.Error{Path: x.where("channels.json"), Msg: fmt.Sprintf("no channel %q in the export (it has %s)", strings.TrimPrefix(name, "#"), strings.Join(x.ChannelNames(), ", "))})
			continue
		}
		if !slices.Contains(chans, c) {
			chans = append(chans, c)
		}
	}
	if len(chans) == 0 && len(el) == 0 {
		el = append(el, &site.Error{Path: x.where("channels.json"), Msg: "no channel chosen (the export has " + strings.Join(x.ChannelNames(), ", ") + ")"})
	}
	m := newMatcher(x, opts.People)
	var evs []Event
	for _, c := range chans {
		days, err := fs.ReadDir(x.fsys, x.file(c.Name))
		if err != nil {
			continue // Slack leaves out the folder of a channel with no messages
		}
		for _, d := range days {
			name := d.Name()
			day, err := time.Parse("2006-01-02.json", name)
			if d.IsDir() || err != nil || !dayInRange(day, opts.From, opts.To) {
				continue
			}
			var msgs []*message
			if e := x.readJSON(path.Join(c.Name, name), &msgs); e != nil {
				el = append(el, e)
				continue
			}
			for _, msg := range applyEdits(msgs) {
				ev, ok := m.event(msg, c, loc)
				if !ok || (!opts.From.IsZero() && ev.Time.Before(opts.From)) || (!opts.To.IsZero() && !ev.Time.Before(opts.To)) {
					continue
				}
				evs = append(evs, ev)
			}
		}
	}
	if err := el.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(evs, func(a, b Event) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ts, b.ts), strings.Compare(a.Source, b.Source))
	})
	return &Result{Events: evs, Unmatched: m.unmatched()}, nil
}

// dayInRange reports whether a day file (named by its UTC date) may hold
// events between from and to; a day either side is kept for time zones.
func dayInRange(day, from, to time.Time) bool {
	return (from.IsZero() || !day.Before(from.AddDate(0, 0, -2))) && (to.IsZero() || day.Before(to.AddDate(0, 0, 1)))
}

// applyEdits gives each message the text of its message_changed entries,
// in the exports that keep them, and drops those entries.
func applyEdits(msgs []*message) []*message {
	byTS := map[string]*message{}
	out := msgs[:0:0]
	for _, msg := range msgs {
		if msg == nil {
			continue
		}
		if msg.Subtype == "message_changed" {
			if msg.Message != nil {
				if orig := byTS[msg.Message.TS]; orig != nil {
					orig.Text, orig.Files = msg.Message.Text, msg.Message.Files
				}
			}
			continue
		}
		byTS[msg.TS] = msg
		out = append(out, msg)
	}
	return out
}

// event makes a message an event, or reports false for one that is not
// part of the conversation (a bot's, an empty one).
func (m *matcher) event(msg *message, c *Channel, loc *time.Location) (Event, bool) {
	if skipped[msg.Subtype] || msg.BotID != "" || msg.User == "" || (msg.Type != "" && msg.Type != "message") {
		return Event{}, false
	}
	if u := m.x.Users[msg.User]; u != nil && u.IsBot {
		return Event{}, false
	}
	t, ok := parseTS(msg.TS)
	if !ok {
		return Event{}, false
	}
	ev := Event{Time: t.In(loc), Kind: "note", Source: c.Name, ts: msg.TS}
	author := "@" + m.id(msg.User)
	switch msg.Subtype {
	case "channel_join":
		ev.Kind, ev.Qualifier = "responder", "joins"
		ev.Text = author + " joined #" + c.Name
		return ev, true
	case "channel_leave":
		ev.Text = author + " left #" + c.Name
		return ev, true
	}
	text := m.markdown(msg.Text)
	for _, f := range msg.Files {
		title := cmp.Or(f.Title, f.Name)
		if title == "" || f.Permalink == "" {
			continue
		}
		text = strings.TrimSpace(text + " [" + escapeLabel(title) + "](" + f.Permalink + ")")
	}
	if text == "" {
		return Event{}, false
	}
	ev.Text = author + ": " + text
	return ev, true
}

// parseTS reads a Slack timestamp, seconds and microseconds since 1970
// ("1709301720.000200").
func parseTS(ts string) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var us int64
	if frac != "" {
		frac = (frac + "000000")[:6]
		if us, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return time.Time{}, false
		}
	}
	return time.Unix(s, us*1000), true
}

// ParseTime reads a --from or --to time in the library's time zone:
// YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339. An end is inclusive, so a
// date ends with its day and a time with its minute.
func ParseTime(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, f := range []struct {
		layout string
		step   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01-02 15:04", func(t time.Time) time.Time { return t.Add(time.Minute) }},
		{"2006-01-02T15:04", func(t time.Time) time.Time { return t.Add(time.Minute) }},
	} {
		if t, err := time.ParseInLocation(f.layout, s, loc); err == nil {
			if end {
				t = f.step(t)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read time %q (want YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)", s)
}
