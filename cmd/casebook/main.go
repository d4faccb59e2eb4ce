// Command casebook turns a Git repository of Markdown incident reviews into
// a searchable, cross-linked learning library.
//
// Usage:
//
//	casebook build|serve|search|new|check|timeline|version [flags]
//
// "casebook COMMAND -h" prints a command's usage line and flags; a test
// holds each usage line, and README's command table, to the flags the
// command defines.
//
// This package is the only place that knows about flags, exit codes and
// signals; the work is done by package site (the library and its pages),
// package index (search) and internal/preview (casebook serve's server).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/casebook/casebook/internal/profile"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := profile.Start(os.Getenv("CASEBOOK_CPUPROFILE"), os.Getenv("CASEBOOK_HEAPPROFILE"), os.Stderr)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(exitCode(err))
}

// exitCode maps run's error to the process status: 0 on success, 2 for a
// command line that could not be understood, 1 for everything else.
func exitCode(err error) int {
	var ue *usageError
	var se *statusError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &se):
		return se.code
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// usageError is a command line casebook could not understand.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// statusError ends the program with a status and no further message; the
// command has already reported what happened.
type statusError struct{ code int }

func (e *statusError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
