// Command regionctl turns per-region YAML files into complete AWS hosting regions.
package main

import (
	"os"

	"github.com/regionctl/regionctl/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
