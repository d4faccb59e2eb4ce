package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usage = `casebook turns a Git repository of Markdown incident reviews into a
searchable, cross-linked learning library.

Usage:
  casebook build   write the site to a folder (default: content → public)
  casebook serve   preview the library with live reload (--production: serve it to a network)
  casebook search  search the library from the terminal
  casebook new     start a new review from a template
  casebook check   lint the library (for authors and CI)
  casebook timeline  a review's timeline from a Slack export
  casebook version   the version, commit and Go version

Run "casebook COMMAND -h" for a command's options.
`

type command struct {
	name string
	run  func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands are the subcommands run dispatches to.
var commands = []command{
	{"build", runBuild},
	{"serve", runServe},
	{"search", runSearch},
	{"new", runNew},
	{"check", runCheck},
	{"timeline", runTimeline},
	{"version", runVersion},
}

// run is the whole program, minus process concerns: it takes the
// arguments after the program name and writes to stdout and stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "--version", "-version":
		return runVersion(ctx, nil, stdout, stderr)
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			var ue *usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(stderr, "casebook %s: %s\n", c.name, ue.msg)
			} else if err != nil {
				var se *statusError
				if !errors.As(err, &se) {
					fmt.Fprintf(stderr, "%s\n", strings.TrimRight(err.Error(), "\n"))
				}
			}
			return err
		}
	}
	fmt.Fprint(stderr, usage)
	return usagef("unknown command %q", args[0])
}

// newFlags makes a subcommand's flag set, reporting to stderr.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("casebook "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: casebook %s %s\n\nOptions:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	return nil
}
