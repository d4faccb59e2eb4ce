package host

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
)

// A file is one published file and its compressed forms, each made once,
// on its first request.
type file struct {
	body  []byte
	ctype string
	etag  string // of body; the compressed forms add a suffix
	cache string // Cache-Control
	zip   bool   // worth compressing

	gzOnce, brOnce sync.Once
	gz, br         []byte // nil: not smaller
}

const (
	cacheImmutable = "public, max-age=31536000, immutable"
	// HTML, feeds and the search index change with every build under
	// the same name: a browser revalidates them (a 304 is cheap).
	cacheRevalidate = "public, no-cache"
	// Other assets without a hash in their name (the default theme's
	// stylesheets and scripts) may be a few minutes stale.
	cacheShort = "public, max-age=300"
)

// hashed matches names that carry a content hash before their extension
// (site.3f2a9c1e.css, app-3f2a9c1e0b.js): they never change under that
// name, so browsers may keep them for a year.
var hashed = regexp.MustCompile(`[.-][0-9a-f]{8,64}\.[A-Za-z0-9]+$`)

func newFile(name string, data []byte) *file {
	f := &file{body: bytes.Clone(data)}
	ext := path.Ext(name)
	f.ctype = mime.TypeByExtension(ext)
	if f.ctype == "" {
		f.ctype = http.DetectContentType(f.body)
	}
	sum := sha256.Sum256(f.body)
	f.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	switch {
	case hashed.MatchString(path.Base(name)):
		f.cache = cacheImmutable
	case ext == ".html" || ext == ".xml" || ext == ".json" || ext == "":
		f.cache = cacheRevalidate
	default:
		f.cache = cacheShort
	}
	f.zip = len(f.body) >= 256 && compressible(f.ctype)
	return f
}

func compressible(ctype string) bool {
	t, _, _ := strings.Cut(ctype, ";")
	switch {
	case strings.HasPrefix(t, "text/"), strings.HasSuffix(t, "+xml"), strings.HasSuffix(t, "+json"):
		return true
	}
	switch t {
	case "application/json", "application/javascript", "application/xml", "application/manifest+json", "image/x-icon", "font/ttf", "font/otf":
		return true
	}
	return false
}

func (f *file) gzipped() []byte {
	f.gzOnce.Do(func() {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(f.body)
		w.Close()
		if b.Len() < len(f.body) {
			f.gz = b.Bytes()
		}
	})
	return f.gz
}

func (f *file) brotli() []byte {
	f.brOnce.Do(func() {
		var b bytes.Buffer
		// Quality 9 is within a few percent of the best for text at a
		// fraction of its time (each file is compressed once, and kept
		// across rebuilds while it does not change); 5 for large files,
		// such as a big library's search index, where 9 takes seconds.
		q := 9
		if len(f.body) > 256<<10 {
			q = 5
		}
		w := brotli.NewWriterLevel(&b, q)
		w.Write(f.body)
		w.Close()
		if b.Len() < len(f.body) {
			f.br = b.Bytes()
		}
	})
	return f.br
}

// serveFile answers GET and HEAD with a published file: path/ is
// path/index.html, a folder without its slash is redirected, anything
// else is the site's 404 page.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	g := requestGen(r)
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	f := g.files[name]
	if f == nil && !strings.HasSuffix(r.URL.Path, "/") && g.files[name+"/index.html"] != nil {
		u := r.URL.Path + "/"
		if r.URL.RawQuery != "" {
			u += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if f == nil {
		h.Set("Cache-Control", "no-store")
		if g.notFound == nil {
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", g.notFound.ctype)
		h.Set("Content-Length", strconv.Itoa(len(g.notFound.body)))
		w.WriteHeader(http.StatusNotFound)
		if r.Method != http.MethodHead {
			w.Write(g.notFound.body)
		}
		return
	}
	if s.reads != nil {
		if slug := reviewSlug(name); slug != "" && g.slugs[slug] {
			s.reads.view(r, slug)
		}
	}
	body, etag := f.body, f.etag
	if f.zip {
		h.Add("Vary", "Accept-Encoding")
		switch enc := pickEncoding(r.Header.Get("Accept-Encoding")); {
		case enc == "br" && f.brotli() != nil:
			body, etag = f.br, strings.TrimSuffix(f.etag, `"`)+`-br"`
			h.Set("Content-Encoding", "br")
		case enc != "" && f.gzipped() != nil:
			body, etag = f.gz, strings.TrimSuffix(f.etag, `"`)+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	if h.Get("Content-Encoding") != "" {
		// ServeContent leaves the length out of encoded answers, and a
		// range of compressed bytes helps nobody: the whole file, sized.
		r.Header.Del("Range")
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", f.cache)
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match (304), HEAD and ranges.
	http.ServeContent(w, r, "", zeroTime, bytes.NewReader(body))
}

// pickEncoding returns "br", "gzip" or "" for an Accept-Encoding header,
// honouring q=0 (refused) and preferring brotli when both are accepted.
func pickEncoding(accept string) string {
	br, gz := false, false
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err != nil || v <= 0 {
				continue
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "br":
			br = true
		case "gzip", "x-gzip":
			gz = true
		case "*":
			gz = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}
