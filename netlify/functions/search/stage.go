package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// ArchiveDir is where the stage step publishes the archive in the site.
const ArchiveDir = "search/function"

// defaultMaxMB is the largest archive the function is given, in MB. A
// container fetches it on its first request, keeps it in memory while it
// unpacks it into /tmp (512 MB on Lambda) and opens it (0.66 s for the
// 48 MB of 10,000 reviews of 850 words): 100 MB, about 20,000 such
// reviews, leaves room in the function's 1,024 MB and 10 s for the
// download. Above it, the static bundle serves search. CASEBOOK_FUNCTION_MAX_MB raises it for a
// site whose function has more memory and time.
const defaultMaxMB = 100

// stage is the build step between `casebook build --search-index ARCHIVE`
// and Netlify's compiling of the function: it moves ARCHIVE into SITE
// under a content-hashed name (cached for good by the headers
// netlify.toml sets) and writes the pointer the function embeds. An
// archive over the limit is removed and the pointer says why, so the
// deploy goes ahead and searches with the static bundle.
func stage(args []string, env func(string) string, stderr io.Writer) error {
	fl := flag.NewFlagSet("stage", flag.ContinueOnError)
	fl.SetOutput(stderr)
	dataDir := fl.String("data", filepath.Join("netlify", "functions", "search", "data"), "the function's embedded data `folder`")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./netlify/functions/search stage [--data DIR] ARCHIVE SITE\n\nOptions:\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() != 2 {
		fl.Usage()
		return errors.New("stage: want ARCHIVE and SITE")
	}
	archive, site := fl.Arg(0), fl.Arg(1)
	maxMB := defaultMaxMB
	if v := env("CASEBOOK_FUNCTION_MAX_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return fmt.Errorf("CASEBOOK_FUNCTION_MAX_MB=%q is not a positive number of MB", v)
		}
		maxMB = n
	}
	st, err := os.Stat(archive)
	if err != nil {
		return err
	}
	var p pointer
	if mb := float64(st.Size()) / 1e6; st.Size() > int64(maxMB)*1_000_000 {
		p.Skipped = fmt.Sprintf("the search index is %.1f MB, over the function's %d MB (CASEBOOK_FUNCTION_MAX_MB)", mb, maxMB)
		fmt.Fprintf(stderr, "casebook: %s: the function is deployed without it and answers 404, and the site searches with its static bundle in the browser\n", p.Skipped)
		if err := os.Remove(archive); err != nil {
			return err
		}
	} else {
		// Read only once it is known to fit: at 100,000 reviews the
		// archive is hundreds of MB.
		b, err := os.ReadFile(archive)
		if err != nil {
			return err
		}
		p.SHA256, p.Size, p.Site = sum(b), int64(len(b)), env("DEPLOY_URL")
		p.Path = "/" + ArchiveDir + "/" + p.SHA256[:20] + ".tar.zst"
		dest := filepath.Join(site, filepath.FromSlash(p.Path))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dest, b, 0o644); err != nil {
			return err
		}
		if err := os.Remove(archive); err != nil {
			return err
		}
		from := p.Site
		if from == "" {
			from = "the host it is called at"
		}
		fmt.Fprintf(stderr, "casebook: search index %.1f MB published as %s; the function fetches it from %s on its first request\n", mb, p.Path, from)
	}
	js, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*dataDir, "index.json"), append(js, '\n'), 0o644)
}
