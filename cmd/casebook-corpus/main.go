// Command casebook-corpus writes a deterministic synthetic review library,
// for benchmarks and for trying casebook on a library of realistic size.
//
//	casebook-corpus [-n 10000] [-seed 1] [-words 850] [-code 2] DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/casebook/casebook/internal/corpus"
)

// usageError marks mistakes in the command line, which exit with status 2
// like the flag package's own failures, so scripts can tell them apart from
// I/O errors.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "casebook-corpus:", err)
	if errors.As(err, new(usageError)) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("casebook-corpus", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 10000, "number of reviews")
	seed := fs.Int64("seed", 1, "random seed; the same options give byte-identical output")
	words := fs.Int("words", 850, "approximate words per review body")
	code := fs.Int("code", 2, "fenced code blocks per review (negative for none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: casebook-corpus [-n 10000] [-seed 1] [-words 850] [-code 2] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"want exactly one DIR argument"}
	}
	if *n < 1 || *words < 1 {
		return usageError{"-n and -words must be at least 1"}
	}
	// corpus.Options treats 0 as "default", but -code 0 clearly means none.
	if *code == 0 {
		*code = -1
	}
	dir := fs.Arg(0)
	start := time.Now()
	if err := corpus.Generate(dir, corpus.Options{Reviews: *n, Seed: *seed, Words: *words, CodeBlocks: *code}); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d reviews to %s in %s\n", *n, dir, time.Since(start).Round(time.Millisecond))
	return nil
}
