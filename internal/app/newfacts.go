package app

import (
	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/scaffold"
)

// awsFacts answers scaffolding's questions from awsmodel's dated tables.
type awsFacts struct{}

var classKinds = map[scaffold.Kind]awsmodel.ClassKind{
	scaffold.KindInstance: awsmodel.KindInstance,
	scaffold.KindDB:       awsmodel.KindDB,
	scaffold.KindCache:    awsmodel.KindCache,
}

func (awsFacts) AZs(region string) ([]string, bool) {
	f, ok := awsmodel.Facts(region)
	if !ok || len(f.AZs) == 0 {
		return nil, false
	}
	names := make([]string, len(f.AZs))
	for i, az := range f.AZs {
		names[i] = az.Name
	}
	return names, true
}

func (awsFacts) Offered(region string, kind scaffold.Kind, class string) (bool, bool) {
	return awsmodel.Offered(region, classKinds[kind], class)
}

func (awsFacts) Nearest(region string, kind scaffold.Kind, class string) string {
	return awsmodel.NearestOffered(region, classKinds[kind], class)
}
