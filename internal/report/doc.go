// Package report renders results for people and machines: terminal trees and
// summaries, and the stable JSON documents of the CLI contract.
package report
