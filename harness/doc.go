// Package harness checks a Cognito user-pool MFA configuration API
// (SetUserPoolMfaConfig, GetUserPoolMfaConfig) against the documented
// contract: it sends a run's cases to a Target and judges every answer.
//
// A target is the reference emulator (Reference), any awsJson1_1 endpoint
// (Endpoint), or any http.Handler called in process (Handler). Run
// returns the whole report, as the command line writes it; Check returns
// nil when the target conforms, or an error joining one *RuleError per
// failing rule:
//
//	err := harness.Check(ctx, harness.Handler(myFake), harness.WithChecks(500))
//
// Options set the seed, the number of cases, the rules reported, the
// fixture world and the rest; with none, a run sends 500 cases of seed 1.
// The same seed sends the same cases and finds the same deviations,
// whatever the parallelism. Each option checks its value: a run given a
// value it cannot hold (no worker, a negative budget, rule globs that
// match no rule) is refused with an error wrapping ErrOption, before
// anything is sent, so that no run passes for having checked nothing.
//
// A Report is written in each of the command line's formats
// (Report.WriteFile: json, junit, markdown, html; WriteConsole), read back
// whole with ReadReport, and compared with a later one of the same target
// with Compare. WriteParity and WriteParityHTML show several reports side
// by side, rule by rule.
//
// A live target (Live) is AWS itself: Live checks first that the
// credentials are of an allowed account (harness/live's guard), and the
// target carries the run's marks, its SMS roles, a rate and a budget,
// which Run applies; every ending deletes what the run made.
package harness
