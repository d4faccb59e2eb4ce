package main

import (
	"context"
	"io"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("serve: not implemented yet")
}
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("search: not implemented yet")
}
func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("new: not implemented yet")
}
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("check: not implemented yet")
}
