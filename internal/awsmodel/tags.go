package awsmodel

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// untagged are the types regionctl uses that AWS cannot tag: they get no tagsAll.
// (Auto Scaling groups take tags as a list of blocks and have no tagsAll either.)
var untagged = map[string]bool{
	"aws:autoscaling/group:Group":                                                                true,
	"aws:autoscaling/policy:Policy":                                                              true,
	"aws:ec2/route:Route":                                                                        true,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                                        true,
	"aws:iam/rolePolicy:RolePolicy":                                                              true,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                                          true,
	"aws:kms/alias:Alias":                                                                        true,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       true,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     true,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     true,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               true,
	"aws:sns/topicSubscription:TopicSubscription":                                                true,
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":                                              true,
}

func Taggable(typ string) bool {
	return strings.HasPrefix(typ, "aws:") && !untagged[typ]
}

// applyTagsAll sets tagsAll the way the real provider does: the provider's default
// tags, overridden by the resource's own. A rehearsal shows the same tag changes as a
// real preview when either changes.
func ApplyTagsAll(typ string, inputs resource.PropertyMap, defaults resource.PropertyMap) {
	if !Taggable(typ) {
		return
	}
	tags := Unsecret(inputs["tags"])
	switch {
	case tags.IsComputed():
		inputs["tagsAll"] = resource.MakeComputed(resource.NewObjectProperty(resource.PropertyMap{}))
		return
	case !tags.IsNull() && !tags.IsObject():
		return // not a map of tags: leave it to the type
	}
	all := make(resource.PropertyMap, len(defaults)+4)
	for k, v := range defaults {
		all[k] = v
	}
	if tags.IsObject() {
		for k, v := range tags.ObjectValue() {
			if !v.IsNull() {
				all[k] = v
			}
		}
	}
	if len(all) == 0 {
		delete(inputs, "tagsAll")
		return
	}
	inputs["tagsAll"] = resource.NewObjectProperty(all)
}

// maxTags is how many tags an AWS resource may carry.
const maxTags = 50

// checkTags checks the tags a resource ends up with. Failures name "tags", the input a
// program sets, even when the default tags are the cause.
func checkTags(all resource.PropertyValue) []Failure {
	all = Unsecret(all)
	if !all.IsObject() {
		return nil
	}
	tags := all.ObjectValue()
	var out []Failure
	if len(tags) > maxTags {
		out = append(out, Failure{"tags", fmt.Sprintf("%d tags including the provider's default tags; AWS allows at most %d", len(tags), maxTags)})
	}
	for _, key := range tags.StableKeys() {
		k := string(key)
		switch n := utf8.RuneCountInString(k); {
		case n == 0:
			out = append(out, Failure{"tags", "a tag key must not be empty"})
		case n > 128:
			out = append(out, Failure{"tags", fmt.Sprintf("tag key %q is %d characters long; at most 128 are allowed", k, n)})
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			out = append(out, Failure{"tags", fmt.Sprintf("tag key %q must not begin with \"aws:\", which AWS reserves", k)})
		}
		if v := Unsecret(tags[key]); v.IsString() {
			if n := utf8.RuneCountInString(v.StringValue()); n > 256 {
				out = append(out, Failure{"tags", fmt.Sprintf("tag %q has a value %d characters long; at most 256 are allowed", k, n)})
			}
		}
	}
	return out
}
