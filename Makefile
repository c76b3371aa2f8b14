# mfaconform: contract-testing and fuzzing harness for the Cognito MFA configuration API.
GO        ?= go
BIN       := bin/mfaconform
FUZZTIME  ?= 10s
CHECKS    ?= 500
SEED      ?= 1

.PHONY: all build run serve test fuzz bench vet clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/mfaconform

# The main job: a default run against the embedded reference emulator, then
# the parity table of the bundled cassettes (replayed, no network).
run: build
	./$(BIN) run --checks $(CHECKS) --seed $(SEED)
	./$(BIN) parity

serve: build
	./$(BIN) serve

vet:
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null || (echo "go.mod/go.sum are not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)

# The test suite CI runs: every package, then a short fuzz of each target.
# Every package includes harness/integration, which starts moto and
# cognito-local (scripts/emulator.sh installs them into .cache/ if missing).
test: vet
	$(GO) test -count=1 -timeout 10m ./...
	$(MAKE) fuzz FUZZTIME=5s

# Each go test -fuzz target for FUZZTIME (set FUZZTIME=1m for longer runs);
# scripts/fuzz.sh tries a run once more when it ends on Go 1.26's fuzztime race.
fuzz:
	GO=$(GO) scripts/fuzz.sh ./harness/emulator FuzzHandler $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh ./harness/emulator FuzzRegion $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh ./contracts FuzzExpectSet $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh ./fuzz FuzzJudgeResponse $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh ./fuzz FuzzDecodeSet $(FUZZTIME)
	GO=$(GO) scripts/fuzz.sh ./fuzz FuzzRandomCase $(FUZZTIME)

bench:
	$(GO) test ./harness/ -run '^$$' -bench 'Overhead|DefaultRun|CallFloor' -benchtime 20x
	$(GO) test ./harness/cassette/ -run '^$$' -bench . -benchtime 3x
	$(GO) test ./harness/mfatest/ -run '^$$' -bench 'TestHandler' -benchtime 10x
	$(GO) test ./harness/mfatest/ -run '^$$' -bench 'FuzzCase' -benchtime 2000x

clean:
	rm -rf bin

# Conformance of the real emulators (moto, cognito-local): each target
# installs the emulator if missing, starts it on a free loopback port, runs
# the harness against it and stops exactly the process it started
# (scripts/emulator.sh). Exit 1 means deviations were found, as expected.
# `make test` runs the same emulators in harness/integration (go test ./...).
.PHONY: conform-moto conform-cognito-local conformance-reports
MOTO_VERSION          := 5.2.1
COGNITO_LOCAL_VERSION := 5.3.0
REPORT_CHECKS         := 500

MOTO_KNOWN            := docs/conformance/moto-$(MOTO_VERSION).known.yaml
COGNITO_LOCAL_KNOWN   := docs/conformance/cognito-local-$(COGNITO_LOCAL_VERSION).known.yaml

# With the published ledger of known deviations: exit 0 while every
# deviation found is known and unexpired, 1 on a new one.
conform-moto: build
	scripts/emulator.sh run moto -- ./$(BIN) run --checks $(CHECKS) --seed $(SEED) --target-name "moto-$(MOTO_VERSION)" --known $(MOTO_KNOWN)

conform-cognito-local: build
	scripts/emulator.sh run cognito-local -- ./$(BIN) run --checks $(CHECKS) --seed $(SEED) --target-name "cognito-local-$(COGNITO_LOCAL_VERSION)" --known $(COGNITO_LOCAL_KNOWN)

# The nightly job (docs/ci/nightly.yml): the gate against each emulator
# with its ledger, every report kept in $(NIGHTLY)/, and, when $(PREVIOUS)
# holds last night's reports, a comparison with them. Fails on a new
# deviation or an expired ledger entry in either.
#
# SHARDS=N splits each target's run in N shards (run --shard I/N), run at
# once as N local processes, each against an emulator instance of its
# own, and merges them (mfaconform merge, which applies the ledger):
# the recipe of docs/nightly.md, as a CI matrix or a Kubernetes Indexed
# Job runs it. The shards' reports and logs are kept in
# $(NIGHTLY)/shards/TARGET/. NIGHTLY_TARGETS and NIGHTLY_CHECKS narrow or
# grow the campaign.
NIGHTLY         ?= nightly
PREVIOUS        ?=
SHARDS          ?= 1
NIGHTLY_TARGETS ?= moto cognito-local
NIGHTLY_CHECKS  ?= $(REPORT_CHECKS)
.PHONY: nightly
nightly: build
	@mkdir -p $(NIGHTLY)
	status=0; \
	for t in $(NIGHTLY_TARGETS); do \
		case $$t in \
		moto) name="moto-$(MOTO_VERSION)"; known=$(MOTO_KNOWN) ;; \
		cognito-local) name="cognito-local-$(COGNITO_LOCAL_VERSION)"; known=$(COGNITO_LOCAL_KNOWN) ;; \
		*) echo "make nightly: unknown target $$t (moto, cognito-local)" >&2; exit 2 ;; \
		esac; \
		reports="--report json=$(NIGHTLY)/$$t.json --report junit=$(NIGHTLY)/$$t.xml --report markdown=$(NIGHTLY)/$$t.md"; \
		if [ "$(SHARDS)" -le 1 ]; then \
			scripts/emulator.sh run $$t -- ./$(BIN) run --checks $(NIGHTLY_CHECKS) --seed $(SEED) --target-name "$$name" \
				--known $$known $$reports || status=1; \
			continue; \
		fi; \
		dir=$(NIGHTLY)/shards/$$t; rm -rf $$dir; mkdir -p $$dir; \
		for i in $$(seq $(SHARDS)); do \
			scripts/emulator.sh run $$t -- ./$(BIN) run --quiet --checks $(NIGHTLY_CHECKS) --seed $(SEED) --target-name "$$name" \
				--shard $$i/$(SHARDS) --report json=$$dir/$$i.json >$$dir/$$i.log 2>&1 & \
		done; \
		wait; \
		./$(BIN) merge $$dir/*.json --known $$known $$reports || status=1; \
	done; \
	for t in $(NIGHTLY_TARGETS); do \
		if [ -n "$(PREVIOUS)" ] && [ -f "$(PREVIOUS)/$$t.json" ]; then ./$(BIN) compare $(PREVIOUS)/$$t.json $(NIGHTLY)/$$t.json || status=1; fi; \
	done; \
	exit $$status

# The bundled cassettes and the published reports, made by one run per
# target, so that they cannot disagree: each emulator's run records its
# cassette and writes its reports (a fixed seed, no ports, pool IDs, dates
# or timings, so that regenerating gives the same reports). Re-record after
# a change to the generators or the judge (TestCommittedCassettes says
# which cassettes are stale). Exit 1 (deviations) is expected of the
# emulators; exit 2 (the run could not be made) fails the target.
.PHONY: cassettes
cassettes conformance-reports: build
	@mkdir -p docs/conformance
	./$(BIN) run --checks $(REPORT_CHECKS) --seed 1 --target-name reference --record cassettes/reference.yaml --quiet > /dev/null
	scripts/emulator.sh run moto -- ./$(BIN) run --checks $(REPORT_CHECKS) --seed 1 --target-name "moto-$(MOTO_VERSION)" --quiet \
		--record cassettes/moto-$(MOTO_VERSION).yaml.gz \
		--report markdown=docs/conformance/moto-$(MOTO_VERSION).md --report html=docs/conformance/moto-$(MOTO_VERSION).html > /dev/null || test $$? -eq 1
	scripts/emulator.sh run cognito-local -- ./$(BIN) run --checks $(REPORT_CHECKS) --seed 1 --target-name "cognito-local-$(COGNITO_LOCAL_VERSION)" --quiet \
		--record cassettes/cognito-local-$(COGNITO_LOCAL_VERSION).yaml.gz \
		--report markdown=docs/conformance/cognito-local-$(COGNITO_LOCAL_VERSION).md --report html=docs/conformance/cognito-local-$(COGNITO_LOCAL_VERSION).html > /dev/null || test $$? -eq 1
