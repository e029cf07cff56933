// Package scaffold writes the region file of a new region: from an existing region's
// file (its comments and layout kept, the region-specific values adapted) or from the
// template embedded in the binary. Its functions are pure: the caller reads the
// folder, asks the region facts and writes the result.
package scaffold
