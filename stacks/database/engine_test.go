package database

import "testing"

func TestEngineFamily(t *testing.T) {
	tests := []struct {
		engine, version, family string
		port                    int
	}{
		{"aurora-mysql", "8.0.mysql_aurora.3.10.3", "aurora-mysql8.0", 3306},
		{"aurora-mysql", "5.7.mysql_aurora.2.11.2", "aurora-mysql5.7", 3306},
		{"aurora-postgresql", "16.10", "aurora-postgresql16", 5432},
		{"aurora-postgresql", "11.9", "aurora-postgresql11", 5432},
		{"aurora-postgresql", "9.6.22", "aurora-postgresql9.6", 5432},
	}
	for _, tt := range tests {
		t.Run(tt.engine+" "+tt.version, func(t *testing.T) {
			e, err := engineOf(tt.engine, tt.version)
			if err != nil {
				t.Fatal(err)
			}
			if e.family != tt.family || e.port != tt.port {
				t.Errorf("family %s port %d, want %s %d", e.family, e.port, tt.family, tt.port)
			}
		})
	}
	for _, bad := range [][2]string{{"aurora-mysql", "8"}, {"aurora-postgresql", ""}, {"mysql", "8.0.35"}} {
		if _, err := engineOf(bad[0], bad[1]); err == nil {
			t.Errorf("engineOf(%q, %q): no error", bad[0], bad[1])
		}
	}
}
