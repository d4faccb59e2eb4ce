package lint

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/frontmatter"
)

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// checkFollowUps looks for open follow-ups nobody owns and open follow-ups
// past their due date.
func (c *checker) checkFollowUps(r *review) {
	if r.fields == nil {
		return
	}
	fl := r.fields.Get("follow_ups")
	if fl == nil || fl.Kind != frontmatter.ListNode {
		return
	}
	now := c.opts.Now.In(c.cfg.Location)
	for _, it := range fl.Items {
		title, status := "", "open"
		var owner, due *frontmatter.Node
		switch it.Kind {
		case frontmatter.ScalarNode:
			title = strings.TrimSpace(it.Str)
		case frontmatter.MapNode:
			if t := it.Get("title"); t != nil && t.Kind == frontmatter.ScalarNode {
				title = strings.TrimSpace(t.Str)
			}
			if s := it.Get("status"); s != nil && s.Kind == frontmatter.ScalarNode && strings.TrimSpace(s.Str) != "" {
				status = strings.ToLower(strings.TrimSpace(s.Str))
			}
			owner, due = it.Get("owner"), it.Get("due")
		default:
			continue
		}
		if status != "open" && status != "in-progress" {
			continue
		}
		if owner == nil || owner.Kind != frontmatter.ScalarNode || strings.TrimSpace(owner.Str) == "" {
			c.add("follow-up-owner", r.path, it.Line, it.Col, fmt.Sprintf("follow-up %q has no owner", short(title)),
				"add owner: person-id; a follow-up nobody owns is rarely done")
		}
		if due == nil || due.Kind != frontmatter.ScalarNode {
			continue
		}
		s := strings.TrimSpace(due.Str)
		d, ok := frontmatter.ParseTime(s, c.cfg.Location)
		if !ok {
			continue // the build reports it
		}
		end := d
		if dateOnly.MatchString(s) {
			end = d.AddDate(0, 0, 1) // due on a day: overdue once the day is over
		}
		if !now.Before(end) {
			dd := d.In(c.cfg.Location)
			days := int(civil(now).Sub(civil(dd)).Hours() / 24)
			ago := plural(days, "day", "days") + " ago"
			if days == 0 {
				ago = "earlier today"
			}
			c.add("follow-up-overdue", r.path, due.Line, due.Col,
				fmt.Sprintf("follow-up %q was due %s (%s) and is still %s", short(title), s, ago, status),
				"mark it done or wont-do, or agree a new due date with its owner")
		}
	}
}

// civil is the calendar day of t, for counting days between dates.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// short shortens a follow-up's title for a message.
func short(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return strings.TrimSpace(string(r[:57])) + "..."
	}
	return s
}

// checkPeople notes people named in reviews who have no profile, when the
// library keeps profiles at all: once a person, at the first review (by
// path) that names them, since the remedy is one profile.
func (c *checker) checkPeople() {
	if len(c.files.People) == 0 {
		return
	}
	profiles := map[string]bool{}
	for _, p := range c.files.People {
		profiles[site.Normalize(strings.TrimSuffix(path.Base(p), path.Ext(p)))] = true
	}
	type mention struct {
		path    string
		node    *frontmatter.Node
		roles   []string
		reviews map[string]bool
	}
	var order []string
	seen := map[string]*mention{}
	reviews := slices.Clone(c.reviews)
	slices.SortFunc(reviews, func(a, b *review) int { return strings.Compare(a.path, b.path) })
	for _, r := range reviews {
		if r.fields == nil {
			continue
		}
		note := func(role string, n *frontmatter.Node) {
			id := site.Normalize(n.Str)
			if id == "" || profiles[id] {
				return
			}
			m := seen[id]
			if m == nil {
				m = &mention{path: r.path, node: n, reviews: map[string]bool{}}
				seen[id] = m
				order = append(order, id)
			}
			m.reviews[r.path] = true
			if !slices.Contains(m.roles, role) {
				m.roles = append(m.roles, role)
			}
		}
		for _, it := range items(r.fields.Get("responders")) {
			note("responder", it)
		}
		for _, it := range items(r.fields.Get("investigators")) {
			note("investigator", it)
		}
		if fl := r.fields.Get("follow_ups"); fl != nil && fl.Kind == frontmatter.ListNode {
			for _, it := range fl.Items {
				if o := it.Get("owner"); o != nil && o.Kind == frontmatter.ScalarNode {
					note("follow-up owner", o)
				}
			}
		}
	}
	for _, id := range order {
		m := seen[id]
		slices.SortFunc(m.roles, func(a, b string) int { return roleOrder(a) - roleOrder(b) })
		c.add("person-profile", m.path, m.node.Line, m.node.Col,
			fmt.Sprintf("%s has no profile in people/ (%s in %s)", id, andList(m.roles), plural(len(m.reviews), "review", "reviews")),
			fmt.Sprintf("add people/%s.md with name, team and role so readers know who to ask", id))
	}
}

func roleOrder(r string) int {
	switch r {
	case "responder":
		return 0
	case "investigator":
		return 1
	}
	return 2
}

func andList(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
