package policy

import (
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// checkPublicHTTPS judges every internet-facing application load balancer by the
// listeners of its fleet (their loadBalancerArn is only known after apply): one
// must be HTTPS with a certificate, and every HTTP one must redirect to HTTPS.
func checkPublicHTTPS(c *Context) []Finding {
	var out []Finding
	listeners := c.Live(tListener, tALBListener)
	for _, lb := range c.Live(tLB, tALB) {
		if t := str(lb.Inputs, "loadBalancerType"); t != "" && t != "application" {
			continue
		}
		if internal, known := truth(get(lb.Inputs, "internal")); internal || !known {
			continue
		}
		// The listeners of the same fleet: by parent, or in a manifest without parents
		// (a preview may give one) by the entry their URN and name tell.
		ref := c.RefOf(lb)
		var own []*manifest.Resource
		for _, l := range listeners {
			if l.Parent != "" && l.Parent == lb.Parent || ref.Kind == spec.KindFleet && c.RefOf(l) == ref {
				own = append(own, l)
			}
		}
		https := false
		for _, l := range own {
			protocol := str(l.Inputs, "protocol")
			if unknown(protocol) {
				https = true // known after apply: not refused
				continue
			}
			switch strings.ToUpper(protocol) {
			case "HTTPS":
				if cert := get(l.Inputs, "certificateArn"); unknown(cert) || str(l.Inputs, "certificateArn") != "" {
					https = true
				}
			case "HTTP":
				if !redirectsToHTTPS(l) {
					out = append(out, c.Finding(l, "loadBalancer.certificateArn", "%s serves plain HTTP to the internet instead of redirecting to HTTPS; set loadBalancer.certificateArn to an ACM certificate of %s, so port 80 only redirects",
						c.Describe(l), c.Region.Region))
				}
			}
		}
		if !https {
			out = append(out, c.Finding(lb, "loadBalancer.certificateArn", "%s is internet-facing without an HTTPS listener, so its traffic crosses the internet in clear text; set loadBalancer.certificateArn to an ACM certificate of %s",
				c.Describe(lb), c.Region.Region))
		}
	}
	return out
}

// redirectsToHTTPS reports whether every default action of a listener redirects to HTTPS.
func redirectsToHTTPS(l *manifest.Resource) bool {
	actions := list(get(l.Inputs, "defaultActions"))
	if len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		m := asMap(a)
		if str(m, "type") != "redirect" || !strings.EqualFold(str(m, "redirect", "protocol"), "HTTPS") {
			return false
		}
	}
	return true
}
