package scaffold

import (
	"github.com/regionctl/regionctl/internal/awsmodel"
)

// AWSFacts answers from awsmodel's dated tables: the facts of a real run.
type AWSFacts struct{}

var classKinds = map[Kind]awsmodel.ClassKind{
	KindInstance: awsmodel.KindInstance,
	KindDB:       awsmodel.KindDB,
	KindCache:    awsmodel.KindCache,
}

func (AWSFacts) AZs(region string) ([]string, bool) {
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

func (AWSFacts) Offered(region string, kind Kind, class string) (bool, bool) {
	return awsmodel.Offered(region, classKinds[kind], class)
}

func (AWSFacts) Nearest(region string, kind Kind, class string) string {
	return awsmodel.NearestOffered(region, classKinds[kind], class)
}
