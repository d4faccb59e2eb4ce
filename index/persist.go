package index

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/klauspost/compress/zstd"

	"github.com/casebook/casebook/internal/publish"
	"github.com/casebook/casebook/site"
)

// archiveTempPrefix names the temporary folders BuildArchive builds in.
const archiveTempPrefix = "casebook-index-"

// Files beside bleve's own in a written index: the taxonomy metadata, and
// the documents (what results show, and the text fragments are cut from).
const (
	metaFile = "casebook-search.json"
	docsFile = "casebook-docs.gob"
)

// copyIndex copies bi's current snapshot into dir, without what made it
// depend on the run (reproducible.go).
func copyIndex(bi bleve.Index, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	c, ok := bi.(bleve.IndexCopyable)
	if !ok {
		return errors.New("search index: the index cannot be copied")
	}
	if err := c.CopyTo(bleve.FileSystemDirectory(dir)); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := errors.Join(dropIndexPath(dir), normalizeStore(dir)); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// Open reads an index written by WriteTo. It is read-only: Sync and
// WriteTo fail.
func Open(dir string) (*Index, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("search index: %s: %w", metaFile, err)
	}
	if m.Version != metaVersion {
		return nil, fmt.Errorf("search index: %s was written by another version of casebook (format %d, want %d); rebuild it", dir, m.Version, metaVersion)
	}
	loc := m.location()
	f, err := os.Open(filepath.Join(dir, docsFile))
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	var docs []*document
	err = gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&docs)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("search index: %s: %w", docsFile, err)
	}
	register() // the index names its analyzer
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	adv, err := bi.Advanced()
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	tab, err := newTable(&m, bi, adv, docs)
	if err != nil {
		bi.Close()
		return nil, err
	}
	return &Index{bi: bi, adv: adv, meta: &m, loc: loc, tab: tab, readOnly: true, sem: newSem()}, nil
}

// BuildArchive indexes s and writes it as one zstd-compressed tar stream
// of an on-disk bleve index plus the metadata and documents search needs,
// for embedding in a binary (the Netlify function's index; OpenArchive
// reads it). It builds on disk in small batches, so that memory stays
// bounded however large the library, and merges the segments into one,
// which is what searches fastest.
func BuildArchive(s *site.Site, w io.Writer) (err error) {
	m := newMeta(s)
	docs := make([]*document, len(s.Reviews))
	for i, r := range s.Reviews {
		docs[i] = newDocument(r)
	}
	ar, err := newArchiveWriter(w)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	// The documents (half the archive, bodies and all) and the metadata
	// come first in it and need no index: they are encoded and
	// compressed while bleve indexes, rather than after the merge, when
	// a build has nothing else left to do.
	front := make(chan error, 1)
	waitFront := sync.OnceValue(func() error { return <-front })
	go func() {
		front <- func() error {
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			var gb bytes.Buffer
			if err := gob.NewEncoder(&gb).Encode(docs); err != nil {
				return err
			}
			return errors.Join(ar.add(docsFile, gb.Bytes()), ar.add(metaFile, b))
		}()
	}()
	defer func() {
		// The stream is written by one goroutine at a time: the rest of
		// it, or the closing, waits for the front.
		if ferr := waitFront(); ferr != nil && err == nil {
			err = fmt.Errorf("search index: %w", ferr)
		}
		if cerr := ar.close(); cerr != nil && err == nil {
			err = fmt.Errorf("search index: %w", cerr)
		}
	}()
	// A marked folder, so that the next build removes it should this one
	// be killed.
	publish.Sweep("", archiveTempPrefix)
	t, err := publish.MkdirTemp("", archiveTempPrefix)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer t.Remove()
	tmp := t.Path
	// Background merges would redo work the final merge does anyway, so
	// tiers are allowed more segments than the build makes.
	config := map[string]any{"scorchMergePlanOptions": map[string]any{
		"MaxSegmentsPerTier": 2 * (len(docs)/archiveBatch + 1),
	}}
	bi, err := bleve.NewUsing(filepath.Join(tmp, "build"), newMapping(), scorch.Name, scorch.Name, config)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer bi.Close()
	// Batches of runs of ids, introduced one after another and merged
	// at once, make the merged segment reproducible (see sortedSegments).
	if err := indexInOrder(bi, docs, archiveBatch); err != nil {
		return err
	}
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if sc, ok := adv.(*scorch.Scorch); ok {
		if err := sc.ForceMerge(context.Background(), &oneMerge); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	// The table is built by Open, from the merged segment; here it only
	// checks that every review went in.
	if _, err := newTable(m, bi, adv, docs); err != nil {
		return err
	}
	dir := filepath.Join(tmp, "index")
	if err := copyIndex(bi, dir); err != nil {
		return err
	}
	if err := waitFront(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if err := ar.addDir(dir); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// archiveWriter writes an archive: a tar stream, zstd-compressed. zstd
// makes an archive about a fifth smaller than gzip does, and unpacks
// faster: a cold start of the function pays for it. Its default setting,
// not "better": on the 10,000-review archive (126 MB of tar) "better"
// took 2.6 times the CPU (2.56 s against 0.97 s on one core, December
// 2026) for an archive 0.8 % larger (47.9 MB against 47.5 MB), and both
// unpack in 0.34 s; "fastest" made 54.7 MB.
type archiveWriter struct {
	zw *zstd.Encoder
	tw *tar.Writer
}

func newArchiveWriter(w io.Writer) (*archiveWriter, error) {
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	if err != nil {
		return nil, err
	}
	return &archiveWriter{zw: zw, tw: tar.NewWriter(zw)}, nil
}

// add writes one file, with the fixed mode and time that keep the archive
// reproducible.
func (a *archiveWriter) add(name string, b []byte) error {
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := a.tw.Write(b)
	return err
}

// addDir writes every file under dir, in lexical order.
func (a *archiveWriter) addDir(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return a.add(filepath.ToSlash(rel), b)
	})
}

func (a *archiveWriter) close() error { return errors.Join(a.tw.Close(), a.zw.Close()) }

// ErrNoArchive is OpenArchive's answer to an empty archive: the
// placeholder a checkout carries before the first build.
var ErrNoArchive = errors.New("search index: the archive is empty (build the site with --search-index first)")

// OpenArchive unpacks an archive written by WriteArchive into a temporary
// folder (removed by Close) and opens it.
func OpenArchive(data []byte) (*Index, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, ErrNoArchive
	}
	zr, err := zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	defer zr.Close()
	tmp, err := os.MkdirTemp("", "casebook-search-")
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	fail := func(err error) (*Index, error) {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("search index: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		if hdr.Typeflag != tar.TypeReg || !filepath.IsLocal(hdr.Name) {
			return fail(fmt.Errorf("unexpected entry %q in the archive", hdr.Name))
		}
		p := filepath.Join(tmp, filepath.FromSlash(hdr.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fail(err)
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return fail(err)
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(err)
		}
	}
	ix, err := Open(tmp)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	ix.tmpDir = tmp
	return ix, nil
}

func removeAll(dir string) error { return os.RemoveAll(dir) }
