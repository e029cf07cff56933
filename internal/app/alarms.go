package app

import (
	"github.com/regionctl/regionctl/internal/engine"
)

const subscriptionType = "aws:sns/topicSubscription:TopicSubscription"

// AlarmReach is whom a deployed region's alarms reach, read from its state: each
// subscription as AWS reported it at the last up or refresh. An email subscription
// stays pending until a person follows the link AWS mails; a refresh then shows it
// confirmed.
type AlarmReach struct {
	// Confirmed and Pending name each subscription: its protocol, and the address of
	// an email one (an https URL holds an integration key and is never shown).
	Confirmed []string `json:"confirmed"`
	Pending   []string `json:"pending"`
}

// Reaches reports whether any alarm reaches someone now.
func (a *AlarmReach) Reaches() bool { return a != nil && len(a.Confirmed) > 0 }

func alarmReach(st engine.State) *AlarmReach {
	reach := &AlarmReach{Confirmed: []string{}, Pending: []string{}}
	for _, r := range st.Resources {
		if string(r.Type) != subscriptionType || r.Delete {
			continue
		}
		name, _ := r.Outputs["protocol"].(string)
		if name == "" {
			name = "unknown protocol"
		}
		if endpoint, ok := r.Outputs["endpoint"].(string); ok && (name == "email" || name == "email-json") {
			name += " " + endpoint
		}
		if pending, _ := r.Outputs["pendingConfirmation"].(bool); pending {
			reach.Pending = append(reach.Pending, name)
		} else {
			reach.Confirmed = append(reach.Confirmed, name)
		}
	}
	return reach
}
