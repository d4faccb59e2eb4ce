package host

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"io/fs"
	"path/filepath"
	"time"
)

// watch polls the library every Config.Watch and rebuilds when it has
// changed and then stayed the same for one interval, so that a git pull
// in progress is not built half-done. Polling rather than file events:
// it sees a checkout replaced by a pull or a rsync, works on network
// file systems, and costs a walk of the folder (milliseconds for
// thousands of files) per interval.
func (s *Server) watch(ctx context.Context) {
	t := time.NewTicker(s.c.Watch)
	defer t.Stop()
	var seen [32]byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fp := fingerprint(s.c.Library)
		s.build.Lock()
		built := s.built
		s.build.Unlock()
		if fp == built || fp != seen {
			seen = fp // unchanged, or still changing: wait for quiet
			continue
		}
		// A broken library is reported once, not every interval: Rebuild
		// records what it read whether or not it builds.
		s.Rebuild(ctx)
	}
}

// fingerprint hashes the names, sizes, modes and modification times of
// the library's files, leaving out dot folders (.git).
func fingerprint(dir string) [32]byte {
	h := sha256.New()
	var buf [8]byte
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			h.Write([]byte("!" + p))
			return nil
		}
		if d.IsDir() && p != dir && d.Name()[0] == '.' {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		h.Write([]byte(p))
		h.Write([]byte{0})
		binary.LittleEndian.PutUint64(buf[:], uint64(info.Size()))
		h.Write(buf[:])
		binary.LittleEndian.PutUint64(buf[:], uint64(info.ModTime().UnixNano()))
		h.Write(buf[:])
		binary.LittleEndian.PutUint64(buf[:], uint64(info.Mode()))
		h.Write(buf[:])
		return nil
	})
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
