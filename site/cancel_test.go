package site_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/site"
)

// A load whose context ends stops handing out work and says why, rather
// than reporting problems in the library or returning a partial site.
func TestLoadStopsWhenCancelled(t *testing.T) {
	lib := fstest.MapFS{}
	for i := range 200 {
		lib[fmt.Sprintf("reviews/2024-01-%02d-r%d.md", i%28+1, i)] = &fstest.MapFile{Data: []byte("---\ntitle: R\n---\nBody.\n")}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := site.Load(ctx, lib, site.Options{})
	if s != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("Load after cancel = %v, %v; want nil, context.Canceled", s, err)
	}
	if _, err := site.Load(context.Background(), lib, site.Options{}); err != nil {
		t.Fatalf("the library loads: %v", err)
	}
}
