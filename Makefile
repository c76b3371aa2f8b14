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

# The main job: a default run against the embedded reference emulator.
run: build
	./$(BIN) run --checks $(CHECKS) --seed $(SEED)

serve: build
	./$(BIN) serve

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1)

# The test suite CI runs: every package, then a short fuzz of each target.
test: vet
	$(GO) test -count=1 -timeout 10m ./...
	$(MAKE) fuzz FUZZTIME=5s

# Each go test -fuzz target for FUZZTIME (set FUZZTIME=1m for longer runs).
fuzz:
	$(GO) test ./harness/emulator -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME)
	$(GO) test ./contracts -run '^$$' -fuzz '^FuzzExpectSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./fuzz -run '^$$' -fuzz '^FuzzJudgeResponse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./fuzz -run '^$$' -fuzz '^FuzzDecodeSet$$' -fuzztime $(FUZZTIME)
	$(GO) test ./fuzz -run '^$$' -fuzz '^FuzzRandomCase$$' -fuzztime $(FUZZTIME)

bench:
	$(GO) test ./harness/ -run '^$$' -bench . -benchtime 5x

clean:
	rm -rf bin
