# regionctl — build, test, lint and benchmark. `make help` lists the targets.
GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
FUZZTIME    ?= 10s
BENCHCOUNT  ?= 5

# The Pulumi CLI is built from source at the version tools/pulumi/go.mod pins, with that
# version linked in (the Automation API refuses a CLI that reports none).
PULUMI_PKG     := github.com/pulumi/pulumi/pkg/v3
PULUMI_VERSION := $(shell cd tools/pulumi && $(GO) list -m -f '{{.Version}}' $(PULUMI_PKG))

.PHONY: help build tools test fuzz lint bench generate clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/regionctl
	$(GO) build -o bin/regionctl ./cmd/regionctl

tools: bin/pulumi ## build the pinned Pulumi CLI into bin/pulumi (skipped when current)

bin/pulumi: tools/pulumi/go.mod tools/pulumi/go.sum
	@if [ -x $@ ] && [ "$$($@ version 2>/dev/null)" = "$(PULUMI_VERSION)" ]; then touch $@; else \
	  echo "building the Pulumi CLI $(PULUMI_VERSION) (a few minutes the first time)"; \
	  cd tools/pulumi && $(GO) build -o ../../bin/pulumi \
	    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
	    $(PULUMI_PKG)/cmd/pulumi; fi

test: tools ## build the pinned Pulumi CLI when needed, run every test, then a short fuzz of the region-file loader
	$(GO) test -timeout 20m ./...
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/spec

fuzz: ## fuzz the region-file loader for longer (FUZZTIME=5m)
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/spec

lint: ## gofmt, go vet, staticcheck and actionlint (pinned)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml

bench: build tools ## offline plan benchmarks, then whole-process rehearsal up/preview and offline diff benchmarks
	$(GO) test -run '^$$' -bench '^BenchmarkPlan(OneRegion|AllRegions)$$' -benchmem -count $(BENCHCOUNT) ./internal/engine
	$(GO) test -run '^$$' -bench '^BenchmarkPlanFleet50$$' -benchmem -count $(BENCHCOUNT) ./internal/engine
	$(GO) test -run '^$$' -bench '^BenchmarkRehearsal' -benchtime 1x -count $(BENCHCOUNT) -timeout 30m ./internal/cli
	$(GO) test -run '^$$' -bench '^(BenchmarkNoopPreview|BenchmarkFleet30)$$' -benchtime $(BENCHCOUNT)x -count 1 -timeout 30m ./internal/cli
	$(GO) test -run '^$$' -bench '^BenchmarkDiff' -benchtime 5x -count 3 -timeout 30m ./internal/cli
	$(GO) test -run '^$$' -bench '^BenchmarkRollback' -benchtime 3x -count 3 -timeout 30m ./internal/cli

generate: ## regenerate AWS region data and the region-file JSON Schema
	$(GO) generate ./...
	$(GO) test ./internal/spec -run 'TestSchemaInSync' -update

clean: ## remove build output and local state of rehearsals
	rm -rf bin .regionctl/rehearsal
