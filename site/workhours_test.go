package site

import (
	"testing"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
)

// work_hours: reads as a span of hours on weekdays or as days, from and
// to; day ranges may wrap the week (sun-thu), and the hours say their days
// as a person would.
func TestWorkHours(t *testing.T) {
	for _, c := range []struct {
		yaml, want string
		in, out    []string // local times that fall inside and outside
	}{
		{"", "Mon–Fri 09:00–18:00", []string{"2024-03-04 09:00", "2024-03-08 17:59"}, []string{"2024-03-04 08:59", "2024-03-04 18:00", "2024-03-09 12:00"}},
		{`work_hours: "08:30-16:30"`, "Mon–Fri 08:30–16:30", []string{"2024-03-04 08:30"}, []string{"2024-03-04 16:30"}},
		{`work_hours: {days: sun-thu, from: "08:00", to: "17:00"}`, "Sun–Thu 08:00–17:00", []string{"2024-03-03 10:00", "2024-03-07 10:00"}, []string{"2024-03-08 10:00", "2024-03-09 10:00"}},
		{`work_hours: {days: [mon, wed, friday]}`, "Mon, Wed, Fri 09:00–18:00", []string{"2024-03-06 10:00"}, []string{"2024-03-05 10:00"}},
		{`work_hours: {days: "mon-tue, sat-sun", to: "24:00"}`, "Sat–Tue 09:00–24:00", []string{"2024-03-09 23:59"}, []string{"2024-03-06 10:00"}},
	} {
		root, err := frontmatter.ParseYAML([]byte(c.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if root.Kind != frontmatter.MapNode {
			root = frontmatter.Empty()
		}
		var e errs
		w := readWorkHours(&frontmatter.Decoder{Path: ConfigFile, Errs: &e}, root)
		if len(e.List) > 0 {
			t.Errorf("%s: %v", c.yaml, e.List)
		}
		if got := w.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.yaml, got, c.want)
		}
		for _, s := range c.in {
			if tm, _ := time.Parse("2006-01-02 15:04", s); !w.Contains(tm) {
				t.Errorf("%s: %s is outside, want inside", c.yaml, s)
			}
		}
		for _, s := range c.out {
			if tm, _ := time.Parse("2006-01-02 15:04", s); w.Contains(tm) {
				t.Errorf("%s: %s is inside, want outside", c.yaml, s)
			}
		}
	}
}
