package mfatest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// Fuzz makes f a fuzz target for h: every input decodes to a case (a
// request, a wire mutation or a short call sequence), which is sent to h
// on fresh fixture pools and judged, and a case that breaks a rule fails
// its input with the judge's finding. So
//
//	go test -fuzz=FuzzMyFake
//
// mutates inputs until one fails, minimises it and stores it under
// testdata/fuzz/FuzzMyFake, as for any fuzz failure, and a plain go test
// replays it.
//
// The seed corpus is the deterministic sweep of a run (every model
// violation, every boundary, every mode and factor combination on every
// fixture pool, the wire mutations, a lifecycle): a plain go test sends
// each of its cases once. An input of a zero byte and two more selects a
// sweep case (hi<<8|lo, modulo the sweep's length; a zero byte and one or
// none is what the engine may leave of one when it minimises). Any other
// input is decoded by the project's generators (fuzz.RandomCase or
// fuzz.Sequence) through rapid.MakeFuzz, each byte one of the generators'
// choices and zeros (their simplest choices) after the last, so that any
// input decodes; an input whose draws rapid rejects is skipped.
//
// Options are those of TestHandler; Known rules are logged, not failed.
// Each input is its own run (one worker, no shrinking: the fuzzing engine
// minimises), so h must create and delete pools as any run needs.
func Fuzz(f *testing.F, h http.Handler, opts ...harness.Option) {
	f.Helper()
	if errs := unknownIDs(settings(opts).Known); len(errs) > 0 {
		f.Fatal(errors.Join(errs...))
	}
	sweep := fuzz.Sweep()
	for i := range sweep {
		f.Add(sweepInput(i))
	}
	fuzzBody(f, h, sweep, opts)
}

// fuzzBody is the part of Fuzz after the seed corpus.
func fuzzBody(f *testing.F, h http.Handler, sweep []fuzz.Case, opts []harness.Option) {
	f.Helper()
	anyCase := rapid.Map(rapid.OneOf(fuzz.RandomCase(), fuzz.Sequence()), func(c fuzz.Case) drawn { return drawn{c} })
	f.Fuzz(func(t *testing.T, in []byte) {
		// Not a helper: the fuzzing engine calls this through reflect, so
		// messages are reported here rather than in reflect.
		c, ok := sweepCase(sweep, in)
		if !ok {
			rapid.MakeFuzz(func(rt *rapid.T) { c = anyCase.Draw(rt, "case").Case })(t, choices(in))
		}
		judgeCase(testingT{t}, h, c, opts)
	})
}

// choices turns a fuzz input into the bytes rapid.MakeFuzz decodes. rapid
// reads eight bytes for every choice a generator makes (which case, which
// pool, each member present or not, ...), so the engine's byte-sized
// mutations would mostly change nothing and a case would need hundreds of
// bytes: each input byte becomes one choice instead, repeated over the
// eight (so that a choice of any width sees it). Zeros follow, which the
// generators read as their simplest choices (stop a list, the first
// alternative, the smallest value), so that a short input decodes to a
// simple case instead of running out of data and being skipped.
func choices(in []byte) []byte {
	out := make([]byte, 8*(len(in)+tail))
	for i, b := range in {
		for j := range 8 {
			out[8*i+j] = b
		}
	}
	return out
}

// tail is how many zero choices follow an input.
const tail = 512

// sweepInput is the fuzz input that selects sweep case i.
func sweepInput(i int) []byte { return []byte{0, byte(i >> 8), byte(i)} }

// sweepCase decodes an input that selects a sweep case: a zero byte, then
// up to two bytes of index (what the fuzzing engine leaves of a seed when
// it minimises one).
func sweepCase(sweep []fuzz.Case, in []byte) (fuzz.Case, bool) {
	if len(in) == 0 || in[0] != 0 || len(in) > 3 || len(sweep) == 0 {
		return fuzz.Case{}, false
	}
	i := 0
	for _, b := range in[1:] {
		i = i<<8 | int(b)
	}
	return sweep[i%len(sweep)], true
}

// judgeCase sends one case to h on fresh fixture pools, judges it, and
// fails t once per finding of a failing rule that is not known.
func judgeCase(t tb, h http.Handler, c fuzz.Case, opts []harness.Option) {
	t.Helper()
	known := settings(opts).Known
	run := append(slices.Clone(opts), harness.WithShrink(false), harness.WithParallel(1),
		config.OptionOf[harness.Option](func(cfg *config.Config) { cfg.Cases = []fuzz.Case{c} }))
	rep, err := harness.Run(contextOf(t), harness.Handler(h), run...)
	if err != nil {
		t.Errorf("mfatest: case %q could not be run: %v", c.Kind, err)
		return
	}
	for _, rr := range rep.Rules {
		if rr.Status == harness.StatusFail || rr.Status == harness.StatusWarn {
			reportRule(t, rr, slices.Contains(known, rr.ID), "", string(rr.ID)+": ")
		}
	}
}

// drawn is a decoded case as rapid logs it with a failure ("[rapid] draw
// case: ..."): its calls, rather than the addresses of its requests.
type drawn struct{ fuzz.Case }

func (d drawn) GoString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s on the %s pool:", d.Kind, d.Pool)
	for i, s := range d.Steps {
		if i > 0 {
			b.WriteString(";")
		}
		fmt.Fprintf(&b, " %s", s.Op)
		switch {
		case s.Set != nil:
			b.WriteString(" " + jsonText(s.Set))
		case s.Raw != nil:
			fmt.Fprintf(&b, " %s (%s)", s.Raw.Operation, s.Raw.Mutation)
		}
		switch s.Pool {
		case fuzz.PoolMissing:
			b.WriteString(" on a missing pool")
		case fuzz.PoolLiteral:
			b.WriteString(" with the UserPoolId as drawn")
		}
	}
	return b.String()
}
