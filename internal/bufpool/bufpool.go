// Package bufpool lends the buffers a build makes and throws away by the
// thousand: a body's HTML and text, a partial's output, a page until it is
// written. Growing a new buffer for each was a tenth of what a large
// build allocated.
package bufpool

import (
	"bytes"
	"sync"
)

var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Get returns an empty buffer.
func Get() *bytes.Buffer {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// Put returns b to the pool unless it grew past maxPooled.
func Put(b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		bufs.Put(b)
	}
}

// maxPooled is the largest buffer reused: ten times a typical review
// page. The few huge list pages would otherwise keep buffers of their size
// alive for the rest of the build.
const maxPooled = 256 << 10
