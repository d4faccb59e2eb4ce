package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/casebook/casebook/index"
)

// pointerName is the pointer inside the embedded data folder.
const pointerName = "data/index.json"

// pointer says where the deploy publishes the function's index archive.
// The stage step writes it; the function embeds it.
type pointer struct {
	Path   string `json:"path"`   // the archive's path on the site: /search/function/HASH.tar.zst
	SHA256 string `json:"sha256"` // of the archive, hex
	Size   int64  `json:"size"`   // of the archive, bytes
	// Site is the deploy's own address ($DEPLOY_URL when it was built),
	// which serves exactly this deploy's files.
	Site string `json:"site,omitempty"`
	// Skipped, when set, says why no archive was published: the function
	// then answers 404 and the page searches the static bundle.
	Skipped string `json:"skipped,omitempty"`
}

// retryAfter is how long a failed fetch is remembered before a request
// tries again: long enough that a burst of searches does not each wait
// for a failing fetch, short enough that a hiccup does not last.
const retryAfter = 30 * time.Second

// fetchTimeout bounds the fetch of the archive, so that a stalled
// download fails this request (and the page searches the static bundle)
// rather than holding it until the platform's own timeout.
const fetchTimeout = 20 * time.Second

// loader opens the index once per container: from the archive cached in
// the temporary folder, else fetched from the deploy.
type loader struct {
	fsys     fs.FS
	env      func(string) string
	client   *http.Client
	cacheDir string
	now      func() time.Time

	mu       sync.Mutex
	ix       *index.Index
	err      error
	failedAt time.Time
	fetches  int // archive downloads, for the tests
}

func newLoader(fsys fs.FS, env func(string) string) *loader {
	return &loader{fsys: fsys, env: env, client: &http.Client{Timeout: fetchTimeout}, cacheDir: os.TempDir(), now: time.Now}
}

// errNoIndex is a function built without a staged archive.
var errNoIndex = errors.New("the search index was not staged for the function: run its stage step after casebook build")

// knowsSite reports whether the archive's address is known without a
// request (from the pointer or the environment).
func (l *loader) knowsSite() bool {
	p, err := l.pointer()
	return err == nil && p.Skipped == "" && l.base(p, nil) != ""
}

func (l *loader) pointer() (pointer, error) {
	var p pointer
	b, err := fs.ReadFile(l.fsys, pointerName)
	if err != nil {
		return p, errNoIndex
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("%s: %w", pointerName, err)
	}
	if p.Skipped == "" && (p.Path == "" || len(p.SHA256) != 64) {
		return p, fmt.Errorf("%s: no path or sha256", pointerName)
	}
	return p, nil
}

// get returns the open index, opening it on first use. An error is kept
// for retryAfter, then the next request tries again.
func (l *loader) get(ctx context.Context, req *events.APIGatewayProxyRequest) (*index.Index, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix != nil {
		return l.ix, nil
	}
	if l.err != nil && l.now().Sub(l.failedAt) < retryAfter {
		return nil, l.err
	}
	l.ix, l.err = l.open(ctx, req)
	if l.err != nil {
		l.failedAt = l.now()
	}
	return l.ix, l.err
}

func (l *loader) open(ctx context.Context, req *events.APIGatewayProxyRequest) (*index.Index, error) {
	p, err := l.pointer()
	if err != nil {
		return nil, err
	}
	if p.Skipped != "" {
		return nil, errors.New(p.Skipped)
	}
	cached := filepath.Join(l.cacheDir, "casebook-search-"+p.SHA256[:20]+".tar.zst")
	if b, err := os.ReadFile(cached); err == nil && sum(b) == p.SHA256 {
		return index.OpenArchive(b)
	}
	b, err := l.fetch(ctx, p, req)
	if err != nil {
		return nil, err
	}
	// Cached for a container that restarts in the same sandbox; a
	// failure to write costs only a later fetch.
	if tmp, err := os.CreateTemp(l.cacheDir, "casebook-search-*.part"); err == nil {
		_, werr := tmp.Write(b)
		if cerr := tmp.Close(); werr == nil && cerr == nil {
			os.Rename(tmp.Name(), cached)
		} else {
			os.Remove(tmp.Name())
		}
	}
	return index.OpenArchive(b)
}

// base is the address the archive is fetched from: CASEBOOK_SITE_URL,
// else the pointer's deploy URL, else the deploy's own variables, else
// (with `netlify dev`, where none is set) the host the request came to.
func (l *loader) base(p pointer, req *events.APIGatewayProxyRequest) string {
	for _, s := range []string{l.env("CASEBOOK_SITE_URL"), p.Site, l.env("DEPLOY_URL"), l.env("URL")} {
		if s != "" {
			return strings.TrimRight(s, "/")
		}
	}
	if req == nil {
		return ""
	}
	host := header(req, "X-Forwarded-Host")
	if host == "" {
		host = header(req, "Host")
	}
	if host == "" {
		return ""
	}
	scheme := header(req, "X-Forwarded-Proto")
	if scheme == "" {
		scheme = "https"
		if h, _, err := net.SplitHostPort(host); err == nil && (h == "localhost" || net.ParseIP(h).IsLoopback()) {
			scheme = "http"
		}
	}
	return scheme + "://" + host
}

func header(req *events.APIGatewayProxyRequest, name string) string {
	for k, v := range req.Headers {
		if strings.EqualFold(k, name) {
			return strings.TrimSpace(strings.Split(v, ",")[0])
		}
	}
	return ""
}

// fetch downloads the archive and checks it is the one the pointer names.
func (l *loader) fetch(ctx context.Context, p pointer, req *events.APIGatewayProxyRequest) ([]byte, error) {
	base := l.base(p, req)
	if base == "" {
		return nil, errors.New("the site's address is unknown (no DEPLOY_URL, URL or request host)")
	}
	u := base + p.Path
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	l.fetches++
	resp, err := l.client.Do(r)
	if err != nil {
		return nil, fmt.Errorf("fetching the index: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the index: %s answered %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, p.Size+1))
	if err != nil {
		return nil, fmt.Errorf("fetching the index: %w", err)
	}
	if int64(len(b)) != p.Size || sum(b) != p.SHA256 {
		return nil, fmt.Errorf("fetching the index: %s is not the archive this function was built with (%d bytes, want %d with sha256 %s)", u, len(b), p.Size, p.SHA256)
	}
	return b, nil
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
