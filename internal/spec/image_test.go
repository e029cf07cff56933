package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fleetRegion is a valid region file whose one fleet ends with the given lines (at
// four spaces of indent, from line 13).
func fleetRegion(lines ...string) string {
	return `region: eu-west-1
jurisdiction: eu
accountId: "100000000003"
network:
  cidr: 10.20.0.0/16
alarms:
  email: oncall@example.com
servers:
  - name: web
    instanceType: m6i.large
    min: 2
    max: 4
` + strings.Join(lines, "\n") + "\n"
}

func TestWhatAFleetRuns(t *testing.T) {
	script := "#!/bin/sh\nexec /opt/web/serve\n"
	tests := []struct {
		name  string
		lines []string
		files map[string]string // relative to the region file
		// want is the problem, "" when the file loads; image and userData what it loads as.
		want, image, userData string
	}{
		{name: "default image", image: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"},
		{name: "AMI parameter", lines: []string{"    amiParameter: /images/web"}, image: "resolve:ssm:/images/web"},
		{name: "AMI id", lines: []string{"    image: ami-0123456789abcdef0"}, image: "ami-0123456789abcdef0"},
		{name: "short AMI id", lines: []string{"    image: ami-01234567"}, image: "ami-01234567"},
		{name: "SSM parameter", lines: []string{"    image: ssm:/images/web"}, image: "resolve:ssm:/images/web"},
		{name: "SSM parameter version", lines: []string{"    image: ssm:/images/web:12"}, image: "resolve:ssm:/images/web:12"},
		{name: "AMI id with uppercase", lines: []string{"    image: ami-0123456789ABCDEF0"},
			want: `13:12: servers[0].image: "ami-0123456789ABCDEF0" is not an AMI id; want an AMI id like ami-0123456789abcdef0`},
		{name: "bare parameter", lines: []string{"    image: /images/web"}, want: `13:12: servers[0].image: "/images/web" is not an AMI id; want an AMI id like ami-0123456789abcdef0, or an SSM parameter like ssm:/images/web`},
		{name: "version 0", lines: []string{"    image: ssm:/images/web:0"}, want: `13:12: servers[0].image: "ssm:/images/web:0": the version "0" is not a parameter version (1, 2, 3...)`},
		{name: "label", lines: []string{"    image: ssm:/images/web:prod"}, want: `the version "prod" is not a parameter version`},
		{name: "empty parameter", lines: []string{"    image: \"ssm:\""}, want: `13:12: servers[0].image: "ssm:" does not name an SSM parameter`},
		{name: "image and amiParameter", lines: []string{"    image: ami-0123456789abcdef0", "    amiParameter: /images/web"},
			want: "13:12: servers[0].image: image and amiParameter both say what the fleet boots; keep image and remove amiParameter"},

		{name: "user data", lines: []string{"    userData: userdata/web.sh"}, files: map[string]string{"userdata/web.sh": script},
			image: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", userData: script},
		{name: "user data at the limit", lines: []string{"    userData: web.sh"}, files: map[string]string{"web.sh": strings.Repeat("x", 16384)},
			image: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", userData: strings.Repeat("x", 16384)},
		{name: "user data over the limit", lines: []string{"    userData: web.sh"}, files: map[string]string{"web.sh": strings.Repeat("x", 16385)},
			want: "13:15: servers[0].userData: DIR/web.sh is larger than EC2's limit of 16 KB of user data; move the rest into the image or have the script download it"},
		{name: "user data missing", lines: []string{"    userData: userdata/web.sh"},
			want: "13:15: servers[0].userData: there is no file DIR/userdata/web.sh; create it or fix the path (relative to the region file)"},
		{name: "user data empty", lines: []string{"    userData: web.sh"}, files: map[string]string{"web.sh": ""},
			want: "13:15: servers[0].userData: DIR/web.sh is empty; remove userData or put the boot script in it"},
		{name: "user data outside", lines: []string{"    userData: ../web.sh"},
			want: `13:15: servers[0].userData: "../web.sh" must be a path inside the region file's directory, like userdata/web.sh`},
		{name: "user data absolute", lines: []string{"    userData: /etc/passwd"},
			want: `13:15: servers[0].userData: "/etc/passwd" must be a path inside the region file's directory`},
		{name: "user data is a directory", lines: []string{"    userData: userdata"}, files: map[string]string{"userdata/web.sh": script},
			want: "13:15: servers[0].userData: reading DIR/userdata: not a regular file"},
	}
	j := testJurisdictions(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				path := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			file := filepath.Join(dir, "eu-west-1.yaml")
			if err := os.WriteFile(file, []byte(fleetRegion(tt.lines...)), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := LoadFile(file, j)
			if tt.want != "" {
				if err == nil {
					t.Fatalf("loaded, want %q", tt.want)
				}
				want := strings.ReplaceAll(tt.want, "DIR", dir)
				if got := problemsOf(t, err); !strings.Contains(got, want) {
					t.Errorf("problems:\n%s\nwant %q", got, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := r.Servers[0]
			if got := s.ImageID(); got != tt.image {
				t.Errorf("image %q, want %q", got, tt.image)
			}
			if got := string(s.UserDataContent); got != tt.userData {
				t.Errorf("user data %q, want %q", got, tt.userData)
			}
		})
	}
}
