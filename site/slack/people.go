package slack

import (
	"fmt"
	"sort"
	"strings"

	"github.com/casebook/casebook/site"
)

// matcher names Slack users as the library's people. A person matches a
// user by the profile's slack: (the user's ID or handle), by id or name
// (the user's handle, display name or real name), or by the local part of
// an e-mail address (the profile's email:, or the id itself).
type matcher struct {
	x      *Export
	strong map[string]string // slack ID or handle → person id
	weak   map[string]string // normalised name or e-mail local part → person id
	ids    map[string]string // Slack user ID → the id written for them
	missed map[string]*User  // Slack user ID → user, for users nobody matched
}

func newMatcher(x *Export, people []*site.Person) *matcher {
	m := &matcher{x: x, strong: map[string]string{}, weak: map[string]string{}, ids: map[string]string{}, missed: map[string]*User{}}
	add := func(into map[string]string, key, id string) {
		if key = site.Normalize(key); key != "" {
			if _, taken := into[key]; !taken {
				into[key] = id
			}
		}
	}
	// The profile's own slack: key outranks every guess from names.
	for _, p := range people {
		if s, ok := p.Params["slack"].(string); ok {
			add(m.strong, s, p.ID)
		}
	}
	for _, p := range people {
		add(m.strong, p.ID, p.ID)
	}
	for _, p := range people {
		add(m.weak, p.Name, p.ID)
		if e, ok := p.Params["email"].(string); ok {
			add(m.weak, localPart(e), p.ID)
		}
	}
	return m
}

// localPart is an e-mail address's part before the '@'; "tomas.novak"
// normalises like the person id tomas-novak.
func localPart(email string) string {
	local, _, ok := strings.Cut(strings.TrimSpace(email), "@")
	if !ok {
		return ""
	}
	return local
}

// id is the person id an event writes for a Slack user.
func (m *matcher) id(userID string) string {
	if id, ok := m.ids[userID]; ok {
		return id
	}
	id := m.match(userID)
	m.ids[userID] = id
	return id
}

func (m *matcher) match(userID string) string {
	u := m.x.Users[userID]
	if id, ok := m.strong[site.Normalize(userID)]; ok {
		return id
	}
	if u == nil {
		m.missed[userID] = nil
		return site.Normalize(userID)
	}
	if id, ok := m.strong[site.Normalize(u.Name)]; ok {
		return id
	}
	for _, key := range []string{u.Name, u.Profile.DisplayName, u.Profile.RealName, u.RealName, localPart(u.Profile.Email)} {
		if id, ok := m.weak[site.Normalize(key)]; ok {
			return id
		}
		if id, ok := m.strong[site.Normalize(key)]; ok {
			return id
		}
	}
	m.missed[userID] = u
	// The id a profile for them would most likely be given.
	if id := site.Normalize(u.FullName()); id != "" {
		return id
	}
	return site.Normalize(userID)
}

// unmatched lists the users no one matched, by the id written for them.
func (m *matcher) unmatched() []Unmatched {
	var out []Unmatched
	for userID, u := range m.missed {
		out = append(out, Unmatched{User: u, ID: m.ids[userID]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// String describes an unmatched user for the person running the import.
func (u Unmatched) String() string {
	if u.User == nil {
		return fmt.Sprintf("@%s: not in the export's users.json", u.ID)
	}
	return fmt.Sprintf("@%s: %s (Slack %s, @%s)", u.ID, u.User.FullName(), u.User.ID, u.User.Name)
}
