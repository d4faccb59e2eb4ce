package site

import (
	"bytes"
	"sync"
	"time"

	"github.com/casebook/casebook/site/internal/highlight"
	"github.com/casebook/casebook/site/internal/markdown"
)

// ChromaCSS is the stylesheet for highlighted code.
func ChromaCSS() []byte { return highlight.CSS() }

// HumanDuration writes a duration as people say it: "2 h 15 min".
func HumanDuration(d time.Duration) string { return markdown.HumanDuration(d) }

// bufs hold what a render makes and throws away by the thousand: a
// partial's output, a page until it is written.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuf returns b to the pool unless it grew past maxPooledBuf.
func putBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuf {
		bufs.Put(b)
	}
}

// maxPooledBuf is the largest buffer reused: ten times a typical review
// page. The few huge list pages would otherwise keep buffers of their size
// alive for the rest of the build.
const maxPooledBuf = 256 << 10
