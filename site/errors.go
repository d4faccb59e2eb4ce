package site

import "github.com/casebook/casebook/site/diag"

// Error and ErrorList are diag's, named here so that callers of Load need
// not import diag to read what it returns.
type (
	Error     = diag.Error
	ErrorList = diag.ErrorList
)

// errs collects errors; it is not safe for concurrent use.
type errs = diag.Collector
