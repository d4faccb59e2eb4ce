package render

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"sync"

	"github.com/casebook/casebook/internal/bufpool"
)

// partialCache holds one partial's output by data pointer or by variants.
// Keys are as small as they can be: a large site looks them up hundreds
// of thousands of times.
type partialCache struct {
	byData     htmlCache // pointer → HTML
	byVariants htmlCache // [maxVariants]any → HTML
}

// htmlCache is a map guarded for the renderers. A sync.Map took twice the
// memory per entry, and a large site caches a hundred thousand fragments
// for the whole render: the heap the GC works against.
type htmlCache struct {
	mu sync.RWMutex
	m  map[any]template.HTML
}

func (c *htmlCache) load(key any) (template.HTML, bool) {
	c.mu.RLock()
	h, ok := c.m[key]
	c.mu.RUnlock()
	return h, ok
}

func (c *htmlCache) store(key any, h template.HTML) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[any]template.HTML{}
	}
	c.m[key] = h
	c.mu.Unlock()
}

// maxVariants bounds partialCached's variant keys, so that a key stays a
// comparable value.
const maxVariants = 3

// partialCached executes a partial once per value and reuses the HTML, as
// Hugo's partialCached does. A review's card is the same on every list it
// appears in, and a large library lists each review on many pages: term
// pages, people, paths. Values that are not pointers are not cached.
//
// With variants, as in Hugo, the variants alone are the key and the data
// only feeds the first execution: the default theme's header is the same on
// all 10,000 review pages of a large library, so it is keyed by page kind.
func (r *Renderer) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	if len(variants) > maxVariants {
		return "", fmt.Errorf("partialCached %q: at most %d variant keys, got %d", name, maxVariants, len(variants))
	}
	pc := r.caches[name] // one for each template in r.shared
	if pc == nil {
		return "", fmt.Errorf("partialCached: no partial %q", name)
	}
	var cache *htmlCache
	var key any
	if len(variants) > 0 {
		var k [maxVariants]any
		for i, v := range variants {
			if v != nil && !reflect.TypeOf(v).Comparable() {
				return "", fmt.Errorf("partialCached %q: variant key %d is a %T, which cannot be a key", name, i+1, v)
			}
			k[i] = v
		}
		cache, key = &pc.byVariants, k
	} else if data != nil && reflect.TypeOf(data).Kind() == reflect.Pointer {
		cache, key = &pc.byData, data
	}
	if cache != nil {
		if h, ok := cache.load(key); ok {
			return h, nil
		}
	}
	h, err := r.partial(name, data)
	if err == nil && cache != nil {
		cache.store(key, h)
	}
	return h, err
}

// partial executes a partial and returns its HTML, as Hugo's partial does,
// so that a page can show one fragment in two places and execute it once.
func (r *Renderer) partial(name string, data any) (template.HTML, error) {
	b := bufpool.Get()
	defer bufpool.Put(b)
	if err := r.shared.ExecuteTemplate(b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// partialCachedEach is partialCached NAME X for each X of a list, joined.
// Each template call costs microseconds of reflection, and a large
// library's term pages list tens of thousands of reviews between them:
// one call per list instead of one per item is most of their time.
func (r *Renderer) partialCachedEach(name string, list any) (template.HTML, error) {
	v := reflect.ValueOf(list)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
	case reflect.Invalid:
		return "", nil
	default:
		return "", fmt.Errorf("partialCachedEach %q: %T is not a list", name, list)
	}
	parts := make([]template.HTML, v.Len())
	size := 0
	for i := range parts {
		h, err := r.partialCached(name, v.Index(i).Interface())
		if err != nil {
			return "", err
		}
		parts[i] = h
		size += len(h)
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}
