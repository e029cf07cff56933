package spec

// madeFrom checks the region a region was made from: a real region, not itself. Its
// file may be gone (the source retired); drift says so when it cannot compare.
func (c *checker) madeFrom() {
	from := c.r.MadeFrom
	if from == "" {
		return
	}
	if msg := regionProblem(from); msg != "" {
		c.errf("madeFrom", "%s", msg)
		return
	}
	if from == c.r.Region {
		c.errf("madeFrom", "%s is this region itself; name the region it was made from, or remove madeFrom", quote(from))
	}
}
