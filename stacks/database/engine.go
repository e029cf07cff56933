package database

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// engine is what differs between Aurora MySQL and Aurora PostgreSQL.
type engine struct {
	port       int
	family     string // parameter group family, from the major version
	logExports []string
	parameters rds.ClusterParameterGroupParameterArray
}

// engineOf describes an Aurora engine at a version ("8.0.mysql_aurora.3.10.3", "16.10").
func engineOf(name, version string) (engine, error) {
	parts := strings.Split(version, ".")
	switch name {
	case "aurora-mysql":
		if len(parts) < 2 {
			return engine{}, fmt.Errorf("engine version %q: want <major>.<minor>.mysql_aurora.<version>", version)
		}
		return engine{
			port:   3306,
			family: "aurora-mysql" + parts[0] + "." + parts[1],
			// general is exported for when an investigation turns general_log on; it is
			// off by default because it logs every statement.
			logExports: []string{"audit", "error", "general", "slowquery"},
			parameters: params(
				"require_secure_transport", "ON", // TLS only, like every other hop
				"server_audit_logging", "1",
				"server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL",
				"slow_query_log", "1",
				"long_query_time", "2",
			),
		}, nil
	case "aurora-postgresql":
		if parts[0] == "" {
			return engine{}, fmt.Errorf("engine version %q: want <major>.<minor>", version)
		}
		major := parts[0]
		if len(major) == 1 && len(parts) > 1 {
			// Before PostgreSQL 10 the major version had two parts (9.6).
			major += "." + parts[1]
		}
		return engine{
			port:       5432,
			family:     "aurora-postgresql" + major,
			logExports: []string{"postgresql"},
			parameters: params(
				"rds.force_ssl", "1", // TLS only, like every other hop
				"log_min_duration_statement", "2000",
			),
		}, nil
	default:
		return engine{}, fmt.Errorf("engine %q is neither aurora-mysql nor aurora-postgresql", name)
	}
}

// params turns name, value pairs into parameter group parameters, in the given order.
func params(kv ...string) rds.ClusterParameterGroupParameterArray {
	out := make(rds.ClusterParameterGroupParameterArray, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, rds.ClusterParameterGroupParameterArgs{
			Name:  pulumi.String(kv[i]),
			Value: pulumi.String(kv[i+1]),
		})
	}
	return out
}
