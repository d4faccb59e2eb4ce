// Package slack turns the conversation in which an incident was handled,
// as a Slack workspace export holds it, into a casebook timeline: one event
// a message, in time order across the chosen channels, in the library's
// time zone, each author and mention matched to the library's people, and
// Slack's markup rewritten as Markdown.
//
// An export is a folder or a .zip (anything that is an fs.FS) holding
// users.json, channels.json and one <channel>/<YYYY-MM-DD>.json file of
// messages per channel and day. Every problem with it is reported as a
// located site.Error, all at once.
package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/casebook/casebook/site"
)

// Export is a Slack workspace export: its users and channels. Messages are
// read by Timeline, only for the channels and days asked for.
type Export struct {
	fsys     fs.FS
	root     string // the folder inside fsys holding users.json ("." or a zip's top folder)
	name     string // how errors name the export: the path the user gave
	Users    map[string]*User
	Channels []*Channel // by name
}

// User is a member of the workspace.
type User struct {
	ID      string `json:"id"`
	Name    string `json:"name"` // the handle
	Deleted bool   `json:"deleted"`
	IsBot   bool   `json:"is_bot"`
	Profile struct {
		RealName    string `json:"real_name"`
		DisplayName string `json:"display_name"`
		Email       string `json:"email"`
	} `json:"profile"`
	RealName string `json:"real_name"`
}

// FullName is the user's real name, or else the best name the export has.
func (u *User) FullName() string {
	for _, n := range []string{u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return u.ID
}

// Channel is a public (channels.json) or private (groups.json) channel.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// message is one entry of a <channel>/<day>.json file.
type message struct {
	Type     string `json:"type"`
	Subtype  string `json:"subtype"`
	User     string `json:"user"`
	BotID    string `json:"bot_id"`
	Text     string `json:"text"`
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts"`
	Edited   *struct {
		TS string `json:"ts"`
	} `json:"edited"`
	Files []struct {
		Name      string `json:"name"`
		Title     string `json:"title"`
		Permalink string `json:"permalink"`
	} `json:"files"`
	// Message is the new version of an edited message, in the rare exports
	// that keep the edit as its own message_changed entry.
	Message *message `json:"message"`
}

// Open reads an export's users and channels. name is how errors name it.
func Open(fsys fs.FS, name string) (*Export, error) {
	x := &Export{fsys: fsys, root: ".", name: name, Users: map[string]*User{}}
	if _, err := fs.Stat(fsys, "users.json"); err != nil {
		// A zip made by compressing the export's folder has that folder
		// at its top.
		if entries, derr := fs.ReadDir(fsys, "."); derr == nil && len(entries) == 1 && entries[0].IsDir() {
			if _, err := fs.Stat(fsys, path.Join(entries[0].Name(), "users.json")); err == nil {
				x.root = entries[0].Name()
			}
		}
	}
	var el site.ErrorList
	var users []*User
	if err := x.readJSON("users.json", &users); err != nil {
		el = append(el, err)
	}
	for _, u := range users {
		x.Users[u.ID] = u
	}
	var chans []*Channel
	if err := x.readJSON("channels.json", &chans); err != nil {
		el = append(el, err)
	}
	if _, err := fs.Stat(fsys, x.file("groups.json")); err == nil {
		var groups []*Channel
		if err := x.readJSON("groups.json", &groups); err != nil {
			el = append(el, err)
		}
		chans = append(chans, groups...)
	}
	if err := el.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(chans, func(a, b *Channel) int { return strings.Compare(a.Name, b.Name) })
	x.Channels = chans
	return x, nil
}

func (x *Export) file(name string) string { return path.Join(x.root, name) }

// where is how an error names a file of the export.
func (x *Export) where(name string) string {
	return strings.TrimSuffix(x.name, "/") + "/" + path.Join(x.root, name)
}

// readJSON decodes one file of the export, locating a malformed one at its
// line and column.
func (x *Export) readJSON(name string, v any) *site.Error {
	data, err := fs.ReadFile(x.fsys, x.file(name))
	if err != nil {
		msg := "cannot read: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "missing: a Slack export has users.json, channels.json and a folder of <YYYY-MM-DD>.json files per channel"
		}
		return &site.Error{Path: x.where(name), Msg: msg}
	}
	if err := json.Unmarshal(data, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		off := int64(-1)
		msg := err.Error()
		switch {
		case errors.As(err, &syn):
			off, msg = syn.Offset-1, "JSON: "+syn.Error()
		case errors.As(err, &typ):
			off = typ.Offset - 1
			msg = fmt.Sprintf("JSON: %s must be %s, not %s", typ.Field, typ.Type, typ.Value)
			if typ.Field == "" {
				msg = fmt.Sprintf("JSON: want %s, not %s", typ.Type, typ.Value)
			}
		}
		line, col := position(data, off)
		return &site.Error{Path: x.where(name), Line: line, Col: col, Msg: msg}
	}
	return nil
}

// position is the 1-based line and column of byte off, or 0, 0 when off
// is unknown.
func position(data []byte, off int64) (line, col int) {
	if off < 0 {
		return 0, 0
	}
	off = min(off, int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// channel finds a channel by name, with or without its '#'.
func (x *Export) channel(name string) *Channel {
	name = strings.TrimPrefix(strings.TrimSpace(name), "#")
	for _, c := range x.Channels {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// ChannelNames are the export's channels, for telling the user which exist.
func (x *Export) ChannelNames() []string {
	names := make([]string, len(x.Channels))
	for i, c := range x.Channels {
		names[i] = c.Name
	}
	return names
}
