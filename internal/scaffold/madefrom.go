package scaffold

import "gopkg.in/yaml.v3"

// madeFrom records the source region as data (madeFrom:, after accountId), so drift
// can compare the two regions setting by setting: the header comment says the same
// to a person, but comments are free text that people rewrite. A source made from
// another region is replaced by its own id: the new region was made from it.
func (g *generator) madeFrom() {
	if g.req.From == "" {
		return
	}
	if v := value(g.root, "madeFrom"); v != nil {
		v.Value, v.Tag, v.Style = g.req.From, "!!str", 0
		return
	}
	at := len(g.root.Content)
	for i := 0; i+1 < len(g.root.Content); i += 2 {
		if g.root.Content[i].Value == "accountId" {
			at = i + 2
		}
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "madeFrom"}
	val := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: g.req.From, LineComment: "# regionctl drift compares this region with it"}
	g.root.Content = append(g.root.Content[:at], append([]*yaml.Node{key, val}, g.root.Content[at:]...)...)
}
