// Package policydoc builds IAM, KMS, S3 and SQS policy documents as JSON.
//
// Policies are written as Go values rather than string templates so that a typo is a
// compile error and the output is canonical: encoding/json sorts map keys, so the same
// policy always serialises to the same bytes and never shows up as a spurious diff.
package policydoc

import (
	"encoding/json"
	"fmt"
)

// Document is a policy document.
type Document struct {
	Version   string      `json:"Version"`
	ID        string      `json:"Id,omitempty"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Principal, Action and Resource take a string or
// a []string, as the policy language does.
type Statement struct {
	Sid       string    `json:"Sid,omitempty"`
	Effect    string    `json:"Effect"`
	Principal Principal `json:"Principal,omitempty"`
	Action    any       `json:"Action"`
	Resource  any       `json:"Resource,omitempty"`
	Condition Condition `json:"Condition,omitempty"`
}

// Principal maps a principal kind (AWS, Service) to one or more principals. The
// wildcard principal "*" is written as {"AWS": "*"}.
type Principal map[string]any

// Condition maps an operator (StringEquals) to keys and their values.
type Condition map[string]map[string]any

// New returns a document of the current policy language version.
func New(statements ...Statement) Document {
	return Document{Version: "2012-10-17", Statement: statements}
}

// JSON serialises the document.
func (d Document) JSON() (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encoding policy document: %w", err)
	}
	return string(b), nil
}

// MustJSON serialises a document built from constants only, where failure is a bug.
func (d Document) MustJSON() string {
	s, err := d.JSON()
	if err != nil {
		panic(err)
	}
	return s
}

// AssumeRole is the trust policy letting an AWS service assume a role. The
// aws:SourceAccount condition stops another account's use of that service from
// assuming it (the confused-deputy problem).
func AssumeRole(service, accountID string) Document {
	return New(Statement{
		Effect:    "Allow",
		Principal: Principal{"Service": service},
		Action:    "sts:AssumeRole",
		Condition: Condition{"StringEquals": {"aws:SourceAccount": accountID}},
	})
}

// AssumeRoleUnconditional is the trust policy for services that do not send
// aws:SourceAccount when assuming a role (EC2 instance profiles, RDS monitoring).
func AssumeRoleUnconditional(service string) Document {
	return New(Statement{
		Effect:    "Allow",
		Principal: Principal{"Service": service},
		Action:    "sts:AssumeRole",
	})
}
