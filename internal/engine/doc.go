// Package engine runs region programs. The offline runner executes the program
// in-process under Pulumi mocks and returns a manifest of every planned resource:
// no engine, no credentials, milliseconds per region.
package engine
