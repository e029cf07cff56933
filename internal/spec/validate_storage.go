package spec

import (
	"fmt"
	"net/netip"
	"strings"
)

// Queue and bucket limits (SQS and S3 quotas).
const (
	maxVisibilitySeconds = 43200 // 12 hours
	maxReceiveCount      = 1000
	minRetentionSeconds  = 60
	maxRetentionSeconds  = 1209600 // 14 days
	dlqSuffix            = "-dlq"
	fifoSuffix           = ".fifo"
)

func (c *checker) queues() {
	names := make([]string, len(c.r.Queues))
	for i := range c.r.Queues {
		q := &c.r.Queues[i]
		names[i] = q.Name
		at := fmt.Sprintf("queues[%d]", i)
		f := func(name string) string { return at + "." + name }
		c.queueName(f("name"), q)

		if v := c.num(f("visibilityTimeoutSeconds"), q.VisibilityTimeoutSeconds); v == 0 && c.zeros[f("visibilityTimeoutSeconds")] {
			c.errf(f("visibilityTimeoutSeconds"), "0 would be replaced by the default (%d); leave it out or set 1 to %d", DefaultVisibilityTimeout, maxVisibilitySeconds)
		} else {
			c.between(f("visibilityTimeoutSeconds"), v, 0, maxVisibilitySeconds)
		}
		c.between(f("maxReceiveCount"), c.num(f("maxReceiveCount"), q.MaxReceiveCount), 1, maxReceiveCount)
		retention := c.num(f("retentionSeconds"), q.RetentionSeconds)
		c.between(f("retentionSeconds"), retention, minRetentionSeconds, maxRetentionSeconds)
		switch age := c.num(f("maxAgeAlarmSeconds"), q.MaxAgeAlarmSeconds); {
		case age <= 0:
			c.errf(f("maxAgeAlarmSeconds"), "%d is not a useful alarm age; want a number of seconds above 0", age)
		case age >= retention && retention >= minRetentionSeconds:
			c.errf(f("maxAgeAlarmSeconds"), "%d can never fire: messages expire after %d seconds (retentionSeconds); use less", age, retention)
		}
	}
	c.uniqueNames("queues", names)
}

func (c *checker) queueName(field string, q *Queue) {
	final := q.Name + dlqSuffix
	if q.Fifo {
		final += fifoSuffix
	}
	switch {
	case q.Name == "":
		c.errf(field, "the queue name is empty; use letters, digits, hyphens and underscores")
	case strings.HasSuffix(q.Name, fifoSuffix):
		c.errf(field, "leave out %s; fifo: true adds it", fifoSuffix)
	case !queueName.MatchString(q.Name):
		c.errf(field, "%s has characters SQS refuses; use letters, digits, hyphens and underscores", quote(q.Name))
	case len(final) > maxQueueName:
		c.errf(field, "%s is too long: its dead-letter queue %s would be %d characters, SQS allows %d", quote(q.Name), quote(final), len(final), maxQueueName)
	}
}

func (c *checker) buckets() {
	names := make([]string, len(c.r.Buckets))
	for i := range c.r.Buckets {
		b := &c.r.Buckets[i]
		names[i] = b.Name
		at := fmt.Sprintf("buckets[%d]", i)
		if msg := c.bucketName(b.Name); msg != "" {
			c.errf(at+".name", "%s", msg)
		}
		if b.NoncurrentVersionDays != nil && *b.NoncurrentVersionDays < 0 {
			c.errf(at+".noncurrentVersionDays", "%d is negative; use 0 to keep old versions forever, or a number of days", *b.NoncurrentVersionDays)
		}
	}
	c.uniqueNames("buckets", names)
}

// BucketName is the S3 name of a bucket: the logical name made globally unique with the
// region and account.
func BucketName(r *Region, b Bucket) string {
	return b.Name + "-" + r.Region + "-" + r.AccountID
}

// bucketName checks the logical name, then the final name against S3's rules.
func (c *checker) bucketName(name string) string {
	switch {
	case name == "":
		return "the bucket name is empty; use lowercase letters, digits and hyphens"
	case strings.Contains(name, "."):
		return fmt.Sprintf("%s has a dot; use hyphens (dots break HTTPS to the bucket)", quote(name))
	case !bucketNameRE.MatchString(name):
		if lower := strings.ToLower(name); lower != name && bucketNameRE.MatchString(lower) {
			return fmt.Sprintf("%s has uppercase letters; use %s", quote(name), quote(lower))
		}
		return fmt.Sprintf("%s is not a bucket name; use lowercase letters, digits and single hyphens, starting and ending with a letter or digit", quote(name))
	}
	if c.r.Region == "" || !accountID.MatchString(c.r.AccountID) {
		return "" // the final name is unknown; region and account are reported already
	}
	final := BucketName(c.r, Bucket{Name: name})
	if msg := s3NameProblem(final); msg != "" {
		return msg
	}
	if len(final) > maxBucketName {
		return fmt.Sprintf("%s is too long: the bucket would be %s, %d characters, S3 allows %d; shorten the name to %d characters", quote(name), final, len(final), maxBucketName, len(name)-(len(final)-maxBucketName))
	}
	return ""
}

// s3NameProblem applies S3's general naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), which
// regionctl's stricter logical names mostly imply already.
func s3NameProblem(final string) string {
	if _, err := netip.ParseAddr(final); err == nil {
		return fmt.Sprintf("the bucket would be %s, formatted like an IP address; S3 refuses that", final)
	}
	if strings.Contains(final, "..") {
		return fmt.Sprintf("the bucket would be %s, with two dots in a row; S3 refuses that", final)
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(final, p) {
			return fmt.Sprintf("bucket names starting with %s are reserved by S3; rename it", p)
		}
	}
	return ""
}
