package harness

import (
	"fmt"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/config"
)

// ShardInfo is what the report of one shard of a run records: which
// shard, and the settings that decide which cases the run has and how
// they are judged, which Merge checks are alike in every shard. A merged
// report has Merged set, Index 0, and WallS.
type ShardInfo struct {
	Index int `json:"index"`
	Total int `json:"total"`
	// Checks is the run's --checks; DurationS its --duration in seconds
	// (0 without one).
	Checks    int     `json:"checks"`
	DurationS float64 `json:"duration_s,omitempty"`
	// Rules are the run's rule globs.
	Rules          []string `json:"rules"`
	StrictMessages bool     `json:"strict_messages,omitempty"`
	// Merged: the report joins every shard of the run (Merge).
	Merged bool `json:"merged,omitempty"`
	// WallS is a merged report's wall time: the slowest shard's elapsed
	// time (the summary's elapsed_s is the shards' times added).
	WallS float64 `json:"wall_s,omitempty"`
}

func (s ShardInfo) String() string {
	if s.Merged {
		return fmt.Sprintf("%d shards merged", s.Total)
	}
	return fmt.Sprintf("shard %d/%d", s.Index, s.Total)
}

// stampShard records a shard's part and settings in its report.
func (r *run) stampShard(rep *Report) {
	sh := r.cfg.Shard
	if !sh.Sharded() {
		return
	}
	rep.Shard = &ShardInfo{Index: sh.Index, Total: sh.Total, Checks: r.cfg.Checks,
		DurationS: r.cfg.Duration.Seconds(), Rules: r.cfg.Rules, StrictMessages: r.cfg.StrictMessages}
}

// poolName is the name of a fixture pool: the run's prefix, then a
// shard's part (so that shards sharing one target or account never take
// each other's pools for theirs, and cleanup and sweep, which go by the
// prefix, still find them), the pool's kind and what makes it the lane's
// or the case's.
func (r *run) poolName(kind fuzz.PoolKind, suffix string) string {
	part := ""
	if sh := r.cfg.Shard; sh.Sharded() {
		part = fmt.Sprintf("s%dof%d-", sh.Index, sh.Total)
	}
	return fmt.Sprintf("%s%s%s-%s", r.cfg.PoolPrefix, part, kind, suffix)
}

// emptyShard refuses a shard that owns no case of its run (more shards
// than rounds of cases): it would judge nothing, and fail its job.
func emptyShard(cfg config.Config) error {
	sh := cfg.Shard
	if !sh.Sharded() || cfg.Duration > 0 {
		return nil
	}
	n := len(cfg.Cases)
	if cfg.Cases == nil {
		n = max(cfg.Checks, len(fuzz.Sweep()))
	}
	if sh.Cases(n) == 0 {
		most := (n + config.Lanes - 1) / config.Lanes
		return fmt.Errorf("%w: WithShard(%d, %d): shard %s has no case: %d cases make at most %d shards (%d cases a round)",
			ErrOption, sh.Index, sh.Total, sh, n, most, config.Lanes)
	}
	return nil
}
