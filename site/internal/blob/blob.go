// Package blob keeps text either as it is or S2-compressed, behind one
// type, so that the model can hold a review's rendered HTML and plain text
// without knowing which. A one-off build compresses (bodies are most of a
// large library's heap, and the build runs near its memory limit, so a
// smaller heap is fewer collections); the preview server keeps text plain,
// since it serves pages again and again.
package blob

import (
	"bytes"
	"slices"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/s2"
)

// Text is a string, kept plain or compressed. The zero Text is "".
type Text struct {
	s string
	z []byte // S2 block, when compressed
}

// Plain keeps s as it is.
func Plain(s string) Text { return Text{s: s} }

// Compress keeps a compressed copy of b (which the caller may reuse).
// HTML and English text shrink to a third or less. S2 decodes faster than
// Snappy; its better mode compresses more but, interleaved over 7 runs of
// the 10,000-review build, cost more time encoding than it saved.
func Compress(b []byte) Text {
	if len(b) == 0 {
		return Text{}
	}
	// Encode into a pooled buffer and keep an exact-size copy: the encoder
	// needs more room than the input, which would otherwise stay pinned.
	buf := encodeBufs.Get().(*[]byte)
	*buf = s2.Encode((*buf)[:cap(*buf)], b)
	z := bytes.Clone(*buf)
	encodeBufs.Put(buf)
	return Text{z: z}
}

var encodeBufs = sync.Pool{New: func() any { return new([]byte) }}

// Append appends the text to dst, decompressing it into dst's spare room
// when that suffices: a caller that reads many texts one at a time can
// keep one buffer rather than allocate each.
func (t Text) Append(dst []byte) []byte {
	if t.z == nil {
		return append(dst, t.s...)
	}
	n, err := s2.DecodedLen(t.z)
	if err != nil { // only if memory were corrupted: z was encoded by Compress
		return append(dst, "decompression failed: "+err.Error()...)
	}
	dst = slices.Grow(dst, n)
	b, err := s2.Decode(dst[len(dst):len(dst)+n], t.z)
	if err != nil {
		return append(dst, "decompression failed: "+err.Error()...)
	}
	return dst[:len(dst)+len(b)]
}

// String returns the text, decompressing it if need be.
func (t Text) String() string {
	if t.z == nil {
		return t.s
	}
	b := t.Append(nil)
	// b is new and nothing else refers to it, so it can be the string's
	// bytes without a copy.
	return unsafe.String(unsafe.SliceData(b), len(b))
}
