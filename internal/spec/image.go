package spec

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MaxUserData is EC2's limit on user data, in raw form before base64 encoding
// (EC2 User Guide, "Work with instance user data").
const MaxUserData = 16 << 10

// ssmImagePrefix marks an image given as an SSM parameter rather than an AMI id.
const ssmImagePrefix = "ssm:"

// amiID is an AMI id: ami- and 8 or 17 hexadecimal digits.
var amiID = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)

// ImageID is the launch template's image: the AMI id, or resolve:ssm:<parameter>[:version],
// which EC2 resolves at every launch (EC2 API RequestLaunchTemplateData.ImageId). It is ""
// only for a fleet whose defaults are not applied.
func (s Server) ImageID() string {
	switch {
	case strings.HasPrefix(s.Image, ssmImagePrefix):
		return "resolve:ssm:" + strings.TrimPrefix(s.Image, ssmImagePrefix)
	case s.Image != "":
		return s.Image
	case s.AMIParameter != "":
		return "resolve:ssm:" + s.AMIParameter
	}
	return ""
}

// image checks servers[i].image: an AMI id or ssm:<parameter>[:<version>], and not
// together with amiParameter.
func (c *checker) image(at string, s *Server) {
	field := at + ".image"
	if s.Image == "" {
		return
	}
	if s.AMIParameter != "" {
		c.errf(field, "image and amiParameter both say what the fleet boots; keep image and remove amiParameter")
		return
	}
	const want = "want an AMI id like ami-0123456789abcdef0, or an SSM parameter like ssm:/images/web or ssm:/images/web:3 (a version)"
	rest, ok := strings.CutPrefix(s.Image, ssmImagePrefix)
	if !ok {
		if !amiID.MatchString(s.Image) {
			c.errf(field, "%s is not an AMI id; %s", quote(s.Image), want)
		}
		return
	}
	name, version := rest, ""
	if i := strings.LastIndex(rest, ":"); i >= 0 {
		name, version = rest[:i], rest[i+1:]
	}
	switch {
	case name == "" || len(name) > maxAMIParameterName || !ssmParameterName.MatchString(name):
		c.errf(field, "%s does not name an SSM parameter; %s", quote(s.Image), want)
	case version != "":
		if n, err := strconv.Atoi(version); err != nil || n < 1 || version[0] == '0' {
			c.errf(field, "%s: the version %s is not a parameter version (1, 2, 3...); %s", quote(s.Image), quote(version), want)
		}
	}
}

// userData reads servers[i].userData, a file next to the region file, into
// UserDataContent. The file must stay under the region file's directory, so a
// region is the same wherever its directory is checked out.
func (c *checker) userData(at string, s *Server) {
	field := at + ".userData"
	if s.UserData == "" {
		return
	}
	rel := filepath.FromSlash(s.UserData)
	if filepath.IsAbs(rel) || !filepath.IsLocal(rel) {
		c.errf(field, "%s must be a path inside the region file's directory, like userdata/%s.sh", quote(s.UserData), s.Name)
		return
	}
	path := filepath.Join(filepath.Dir(c.path), rel)
	data, err := readLimited(path, MaxUserData)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.errf(field, "there is no file %s; create it or fix the path (relative to the region file)", path)
	case errors.Is(err, errTooBig):
		c.errf(field, "%s is larger than EC2's limit of 16 KB of user data; move the rest into the image or have the script download it", path)
	case err != nil:
		c.errf(field, "reading %s: %v", path, err)
	case len(data) == 0:
		c.errf(field, "%s is empty; remove userData or put the boot script in it", path)
	default:
		s.UserDataContent = data
	}
}

var errTooBig = errors.New("too big")

// readLimited reads a regular file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooBig
	}
	return data, nil
}
