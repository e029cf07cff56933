package awsmodel

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// unsecret unwraps a secret value; other values come back as they are.
func Unsecret(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// knownString returns a property's string value, and false when it is absent, not a
// string or not known yet (a preview).
func KnownString(m resource.PropertyMap, key string) (string, bool) {
	v := Unsecret(m[resource.PropertyKey(key)])
	if !v.IsString() {
		return "", false
	}
	return v.StringValue(), true
}

// knownNumber is knownString for numbers.
func KnownNumber(m resource.PropertyMap, key string) (float64, bool) {
	v := Unsecret(m[resource.PropertyKey(key)])
	if !v.IsNumber() {
		return 0, false
	}
	return v.NumberValue(), true
}

// flag returns a bool property; false when absent or unknown.
func Flag(m resource.PropertyMap, key string) bool {
	v := Unsecret(m[resource.PropertyKey(key)])
	return v.IsBool() && v.BoolValue()
}

// absent is true when the program left a property out (or set it to null).
func Absent(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return !ok || v.IsNull()
}
