# regionctl — build, test, lint and benchmark. `make help` lists the targets.
GO          ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME    ?= 10s
BENCHCOUNT  ?= 5

.PHONY: help build test fuzz lint bench generate clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/regionctl
	$(GO) build -o bin/regionctl ./cmd/regionctl

test: ## run every test, then a short fuzz of the region-file loader
	$(GO) test ./...
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/spec

fuzz: ## fuzz the region-file loader for longer (FUZZTIME=5m)
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/spec

lint: ## gofmt, go vet and staticcheck (pinned)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

bench: ## offline plan benchmarks: one region, all shipped regions, a 50-region fleet
	$(GO) test -run '^$$' -bench '^BenchmarkPlan(OneRegion|AllRegions)$$' -benchmem -count $(BENCHCOUNT) ./internal/engine
	$(GO) test -run '^$$' -bench '^BenchmarkPlanFleet50$$' -benchmem -count $(BENCHCOUNT) ./internal/engine

generate: ## regenerate AWS region data and the region-file JSON Schema
	$(GO) generate ./...
	$(GO) test ./internal/spec -run 'TestSchemaInSync' -update

clean: ## remove build output
	rm -rf bin
