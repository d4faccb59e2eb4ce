package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/internal/growth"
	"github.com/casebook/casebook/site"
)

// Contributing factors: one review with 4,000 took 52 s and 983 MB (its
// pairs were quadratic); loading a review costs time linear in the
// number of factors it gives, refused or not.
func TestFactorsAreLinear(t *testing.T) {
	review := func(n int) []byte {
		var b strings.Builder
		b.WriteString("---\ntitle: A\ndate: 2024-01-01\ncontributing_factors:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - factor %d\n", i)
		}
		b.WriteString("---\nBody.\n")
		return []byte(b.String())
	}
	growth.Linear(t, "contributing factors", 1000, func(n int) {
		fsys := fstest.MapFS{"reviews/a.md": {Data: review(n)}}
		site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	})
}
