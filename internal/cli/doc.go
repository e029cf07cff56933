// Package cli is regionctl's command line: one file per command, each an Options
// struct filled by cobra and a plain run function that tests call directly.
// Exit codes are mapped from typed errors in one place (exit.go).
package cli
