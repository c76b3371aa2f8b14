package harness

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/mfaconform/mfaconform/internal/config"
)

// silence counts the calls a target left without an answer, to tell a
// target that stopped answering from one that is slow now and then. Two
// counts end a run (config.MaxSilent each): calls in a row over the whole
// run (the target stopped), and calls of one operation in all (the target
// hangs on that operation while it answers the others, which would
// otherwise cost a call timeout on every call of it for the rest of the
// run).
type silence struct {
	mu   sync.Mutex
	row  int
	byOp map[string]int // by X-Amz-Target
}

// note counts one call of op (its X-Amz-Target) that got an answer or
// not.
func (s *silence) note(op string, answered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if answered {
		s.row = 0
		return
	}
	s.row++
	if s.byOp == nil {
		s.byOp = map[string]int{}
	}
	s.byOp[op]++
}

// over returns ErrSilent, saying which count ran out, once one has; nil
// before.
func (s *silence) over() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.row >= config.MaxSilent {
		return fmt.Errorf("%w: %w (%d calls in a row had no answer)", ErrSetup, ErrSilent, s.row)
	}
	for op, n := range s.byOp {
		if n >= config.MaxSilent {
			return fmt.Errorf("%w: %w (%d calls of %s had no answer)", ErrSetup, ErrSilent, n, opName(op))
		}
	}
	return nil
}

// silentOn reports whether calls of op no longer get answers.
func (s *silence) silentOn(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byOp[op] >= config.MaxSilent
}

// opName is an operation as messages name it: the X-Amz-Target without
// its service prefix.
func opName(target string) string {
	if target == "" {
		return "a call without X-Amz-Target"
	}
	if _, op, ok := strings.Cut(target, "."); ok {
		target = op
	}
	if strings.Trim(target, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		// A raw case's X-Amz-Target may be anything.
		return strconv.Quote(target)
	}
	return target
}
