package render

import (
	"html/template"
	"strings"
	"testing"
	"time"
)

// timeTag must write what the markup it replaced wrote.
func TestTimeTagMatchesTemplate(t *testing.T) {
	r := &Renderer{}
	tmpl := template.Must(template.New("t").Funcs(r.funcs()).Parse(
		`<time datetime="{{rfc3339 .T}}" title="{{datetime .T}}">{{if eq (isodate .T) (isodate .Ref)}}{{.T.Format "15:04 MST"}}{{else}}{{datetime .T}}{{end}}</time>`))
	var zones []*time.Location
	for _, name := range []string{"UTC", "Asia/Kolkata", "America/Sao_Paulo", "Asia/Dubai", "Europe/Berlin"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, time.FixedZone("", 5*3600+1800), time.FixedZone("<b>&'\"", -3600))
	for _, loc := range zones {
		at := time.Date(2024, 3, 9, 23, 30, 0, 0, loc)
		for _, ref := range []time.Time{at, at.Add(-2 * time.Hour), at.Add(2 * time.Hour), {}} {
			var want strings.Builder
			if err := tmpl.Execute(&want, map[string]time.Time{"T": at, "Ref": ref}); err != nil {
				t.Fatal(err)
			}
			if got := string(timeTag(at, ref)); got != want.String() {
				t.Errorf("timeTag(%v, %v):\n got %s\nwant %s", at, ref, got, want.String())
			}
		}
	}
	if got := timeTag(time.Time{}, time.Now()); got != "" {
		t.Errorf("zero time: %q", got)
	}
}
