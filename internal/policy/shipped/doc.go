// Package shipped holds the end-to-end check of the guardrails: the regions shipped in
// regions/ are planned with the real program (under mocks) and must pass every rule
// without a waiver. It is apart from internal/policy so the rules' own tests do not
// depend on the engine and the stacks.
package shipped
