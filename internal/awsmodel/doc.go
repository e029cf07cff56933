// Package awsmodel is what AWS does, in one place, so that validation, the offline plan
// and the rehearsal provider can never disagree about it.
//
// It holds dated facts tables. Each table names its sources and the day it was last
// compared with them (EngineVersionsChecked); a test fails when that day is older than
// MaxCatalogAge, because AWS deprecates engine versions every quarter.
//
// Refreshing the engine version catalog (engineversions.go):
//   - open each source URL of the table (the release notes' indexes mark deprecated
//     versions, the release calendars and the Extended Support pages give the end of
//     standard support dates), or run
//     aws rds describe-db-engine-versions --engine aurora-mysql --query 'DBEngineVersions[].EngineVersion'
//     aws elasticache describe-cache-engine-versions --engine redis
//   - add new releases, set Offered false on the ones AWS stopped creating, add dates
//     AWS published, move Recommended to the release new regions should use;
//   - set EngineVersionsChecked to the day you did it and run
//     go test ./internal/awsmodel/ ./internal/spec/ ./stacks/...
package awsmodel
