// Package content embeds the example library, so that the casebook binary
// can show a new user a real library wherever it runs. The library itself
// is the Markdown and YAML beside this file; casebook reads no Go files.
package content

import "embed"

// FS is the example library.
//
//go:embed casebook.yaml README.md oncall.yaml readers.csv reviews paths people static
var FS embed.FS
