package index

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv16 "github.com/blevesearch/zapx/v16"
	bolt "go.etcd.io/bbolt"
)

// The --search-index archive is part of a build, and a build is
// reproducible: the same library gives the same bytes. Three things in
// what bleve and gob write depended on the run, and are fixed here:
//
//   - bleve numbers a batch's documents in the order its parallel
//     analysis finishes them, and merges segments in the order they were
//     introduced, which parallel batches make random: segments are made
//     from the documents in the order of their ids, and merged in the
//     order of their first ids (sortedSegments); the archive's batches
//     are runs of documents in the order of their ids, so the merged
//     segment holds every document in that order whichever merges
//     happened;
//   - index_meta.json holds the path of the folder the index was built
//     in, a temporary one: it is left out (bleve's Open sets the path
//     from where it opens the index);
//   - gob writes a map in Go's random order: a document's terms are
//     written in the order of their taxonomies (taxMap);
//   - zap writes each field's sections in the random order of a map:
//     they are put in the order of their types (sortZapSections);
//   - the snapshot in root.bolt holds the time it was persisted, and the
//     file the history of its transactions: it is copied into a new file
//     with the time left at the Unix epoch (rewriteBolt).
//
// normalizeStore does the last two, on an index folder bleve has closed
// or copied out.

func init() {
	// The default plugin's own type and version, so that segments read
	// and merge as bleve's own; only the order of a new segment's
	// documents changes.
	scorch.RegisterSegmentPlugin(sortedSegments{&zapv16.ZapPlugin{}}, true)
}

// sortedSegments is zap's segment plugin, making each new segment from
// its documents in the order of their ids.
type sortedSegments struct{ scorch.SegmentPlugin }

func (p sortedSegments) New(results []index.Document) (segment.Segment, uint64, error) {
	slices.SortFunc(results, func(a, b index.Document) int { return strings.Compare(a.ID(), b.ID()) })
	return p.SegmentPlugin.New(results)
}

func (p sortedSegments) Merge(segs []segment.Segment, drops []*roaring.Bitmap, path string,
	closeCh chan struct{}, s segment.StatsReporter) ([][]uint64, uint64, error) {
	first := make([]string, len(segs))
	order := make([]int, len(segs))
	for i, sg := range segs {
		order[i] = i
		if id, err := sg.DocID(0); err == nil {
			first[i] = string(id)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(first[a], first[b]) })
	sorted := make([]segment.Segment, len(segs))
	sortedDrops := make([]*roaring.Bitmap, len(drops))
	for j, i := range order {
		sorted[j] = segs[i]
		if i < len(drops) {
			sortedDrops[j] = drops[i]
		}
	}
	nums, n, err := p.SegmentPlugin.Merge(sorted, sortedDrops, path, closeCh, s)
	if err != nil || len(nums) != len(segs) {
		return nums, n, err
	}
	// The caller's segments are in its order: so must their new numbers be.
	out := make([][]uint64, len(segs))
	for j, i := range order {
		out[i] = nums[j]
	}
	return out, n, nil
}

// oneMerge is bleve's plan for merging into a single segment, in one task
// rather than in tasks of ten: a merge of segments that are not runs of
// ids would make one that sortedSegments cannot order.
var oneMerge = func() mergeplan.MergePlanOptions {
	o := mergeplan.SingleSegmentMergePlanOptions
	o.SegmentsPerMergeTask = 1 << 30
	return o
}()

// indexInOrder indexes docs in batches of runs of their ids, one after
// another, so that bleve's segments are introduced, persisted and merged
// in that order. (Within a batch the analysis is parallel.)
func indexInOrder(bi bleve.Index, docs []*document, batch int) error {
	mk, err := newDocMaker(bi.Mapping())
	if err != nil {
		return err
	}
	byID := slices.Clone(docs)
	slices.SortFunc(byID, func(a, b *document) int { return strings.Compare(a.Slug, b.Slug) })
	for len(byID) > 0 {
		n := min(batch, len(byID))
		b := bi.NewBatch()
		for _, d := range byID[:n] {
			bd, err := mk.doc(d)
			if err != nil {
				return err
			}
			if err := b.IndexAdvanced(bd); err != nil {
				return fmt.Errorf("search index: %s: %w", d.Slug, err)
			}
		}
		if err := bi.Batch(b); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		byID = byID[n:]
	}
	return nil
}

// dropIndexPath rewrites dir's index_meta.json without the path it was
// built at.
func dropIndexPath(dir string) error {
	p := filepath.Join(dir, "index_meta.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if c, ok := m["config"].(map[string]any); ok {
		delete(c, "path")
	}
	if b, err = json.Marshal(m); err != nil { // keys sorted
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// taxMap is a document's term ids by taxonomy key.
type taxMap map[string][]string

// GobEncode writes the map as its keys in order, each with its ids:
// uvarint counts and lengths before the strings.
func (m taxMap) GobEncode() ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := binary.AppendUvarint(nil, uint64(len(keys)))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, k := range keys {
		str(k)
		b = binary.AppendUvarint(b, uint64(len(m[k])))
		for _, id := range m[k] {
			str(id)
		}
	}
	return b, nil
}

var errTaxMap = errors.New("search index: a document's terms are corrupt")

// GobDecode reads what GobEncode writes.
func (m *taxMap) GobDecode(b []byte) error {
	num := func() (int, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return 0, false
		}
		b = b[k:]
		return int(n), true
	}
	str := func() (string, bool) {
		n, ok := num()
		if !ok || n > len(b) {
			return "", false
		}
		s := string(b[:n])
		b = b[n:]
		return s, true
	}
	nk, ok := num()
	if !ok {
		return errTaxMap
	}
	out := make(taxMap, nk)
	for range nk {
		k, ok := str()
		nids, ok2 := num()
		if !ok || !ok2 {
			return errTaxMap
		}
		ids := make([]string, 0, nids)
		for range nids {
			id, ok := str()
			if !ok {
				return errTaxMap
			}
			ids = append(ids, id)
		}
		out[k] = ids
	}
	if len(b) != 0 {
		return errTaxMap
	}
	*m = out
	return nil
}

// normalizeStore makes the zap segments and root.bolt under dir/store the
// same bytes for the same documents.
func normalizeStore(dir string) error {
	store := filepath.Join(dir, "store")
	segs, err := filepath.Glob(filepath.Join(store, "*.zap"))
	if err != nil {
		return err
	}
	for _, p := range segs {
		if err := sortZapSections(p); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(p), err)
		}
	}
	return rewriteBolt(filepath.Join(store, "root.bolt"))
}

// A zap v16 segment ends in a footer of fixed size; from its end: the
// CRC-32 of everything before it, version, chunk mode (4 bytes each),
// then the offsets of the doc values, of the sections index, of the
// fields index and of the stored fields, and the number of documents (8
// bytes each). The sections index is a uvarint count of fields and an
// 8-byte offset for each; at a field's offset are its name (uvarint
// length first), a uvarint count of sections, and for each section its
// 2-byte type and 8-byte address.
const zapFooter = 4 + 4 + 4 + 8 + 8 + 8 + 8 + 8

var errZap = errors.New("not a zap v16 segment this code can read")

// sortZapSections puts each field's section entries in the order of
// their types and recomputes the CRC: entries are of one size, so no
// offset moves.
func sortZapSections(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) < zapFooter || binary.BigEndian.Uint32(b[len(b)-8:]) != zapv16.Version {
		return errZap
	}
	sectionsIndex := binary.BigEndian.Uint64(b[len(b)-28:])
	if sectionsIndex >= uint64(len(b)) {
		return errZap
	}
	nfields, n := binary.Uvarint(b[sectionsIndex:])
	at := sectionsIndex + uint64(n)
	if n <= 0 || nfields > uint64(len(b)) || at+8*nfields > uint64(len(b)) {
		return errZap
	}
	for i := range nfields {
		off := binary.BigEndian.Uint64(b[at+8*i:])
		if off >= sectionsIndex {
			return errZap
		}
		nameLen, k := binary.Uvarint(b[off:])
		if k <= 0 || nameLen > uint64(len(b)) {
			return errZap
		}
		off += uint64(k) + nameLen
		if off >= sectionsIndex {
			return errZap
		}
		nsec, k := binary.Uvarint(b[off:])
		off += uint64(k)
		if k <= 0 || off+10*nsec > sectionsIndex {
			return errZap
		}
		entries := make([][10]byte, nsec)
		for j := range entries {
			copy(entries[j][:], b[off+10*uint64(j):])
		}
		slices.SortFunc(entries, func(x, y [10]byte) int { return bytes.Compare(x[:2], y[:2]) })
		for j, e := range entries {
			copy(b[off+10*uint64(j):], e[:])
		}
	}
	binary.BigEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return os.WriteFile(path, b, 0o644)
}

// rewriteBolt copies the bolt file at path into a new one in a single
// transaction, key by key in order, with every timeStamp value set to
// the Unix epoch. Its snapshots ("s") are reduced to the last, the one
// bleve opens, numbered 1, and its segments are numbered from 1 in
// order, their files renamed to match: the numbers count the merges and
// snapshots the build happened to make.
func rewriteBolt(path string) error {
	src, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".new"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o644, nil)
	if err != nil {
		return err
	}
	epoch, _ := time.Unix(0, 0).UTC().MarshalText()
	var renames [][2]string
	err = src.View(func(stx *bolt.Tx) error {
		return dst.Update(func(dtx *bolt.Tx) error {
			return stx.ForEach(func(name []byte, b *bolt.Bucket) error {
				nb, err := dtx.CreateBucket(name)
				if err != nil {
					return err
				}
				if string(name) != "s" {
					return copyBucket(nb, b, epoch)
				}
				last, _ := b.Cursor().Last()
				if last == nil {
					return nil
				}
				snap := b.Bucket(last)
				if snap == nil {
					return errors.New("a snapshot is not a bucket")
				}
				ns, err := nb.CreateBucket(smallKey(1))
				if err != nil {
					return err
				}
				next := 0
				return snap.ForEach(func(k, v []byte) error {
					if v != nil || string(k) == "i" || string(k) == "m" {
						if v != nil {
							return ns.Put(k, v)
						}
						sub, err := ns.CreateBucket(k)
						if err != nil {
							return err
						}
						return copyBucket(sub, snap.Bucket(k), epoch)
					}
					next++
					if next > 100 {
						return errors.New("more segments than expected")
					}
					seg, err := ns.CreateBucket(smallKey(next))
					if err != nil {
						return err
					}
					file := fmt.Sprintf("%012x.zap", next)
					old := snap.Bucket(k).Get([]byte("p"))
					if old != nil {
						renames = append(renames, [2]string{string(old), file})
					}
					return snap.Bucket(k).ForEach(func(k, v []byte) error {
						switch {
						case v == nil:
							return errors.New("a segment holds a bucket")
						case string(k) == "p":
							v = []byte(file)
						}
						return seg.Put(k, v)
					})
				})
			})
		})
	})
	if err = errors.Join(err, dst.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	dir := filepath.Dir(path)
	// Two steps, so that no new name overwrites an old one not yet moved.
	for _, r := range renames {
		if err := os.Rename(filepath.Join(dir, r[0]), filepath.Join(dir, r[1]+".tmp")); err != nil {
			return err
		}
	}
	for _, r := range renames {
		if err := os.Rename(filepath.Join(dir, r[1]+".tmp"), filepath.Join(dir, r[1])); err != nil {
			return err
		}
	}
	return os.Rename(tmp, path)
}

// smallKey is bleve's ordered encoding of a number up to 109, as its
// snapshots and segments are keyed: one byte, 136 plus the number.
func smallKey(n int) []byte { return []byte{byte(136 + n)} }

func copyBucket(dst, src *bolt.Bucket, epoch []byte) error {
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			nb, err := dst.CreateBucket(k)
			if err != nil {
				return err
			}
			return copyBucket(nb, src.Bucket(k), epoch)
		}
		if string(k) == "timeStamp" {
			v = epoch
		}
		return dst.Put(k, v)
	})
}
