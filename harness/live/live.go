// Package live is what a run against AWS does besides the calls it
// judges: the account guard (CheckAccount: STS GetCallerIdentity against
// an allowlist, asked where the writes go, before anything is written),
// the run's own SMS roles in IAM (made under /mfaconform/, tagged, deleted
// at the end), and the sweep that finds what a killed run left, by its
// marks only: the name prefix and the mfaconform:run tag of pools, the
// path, prefix and tag of roles.
//
// Nothing here writes for an account the guard did not check: Sweep runs
// the guard itself, and a Run writes (Roles) only when it was made of an
// Identity that CheckAccount returned. A live target is harness.Live,
// which runs the guard and carries the run's marks, roles, rate and
// budget into harness.Run.
//
// Every resource a run makes is named mfaconform-<runID>-... and tagged
// mfaconform:run=<runID> and mfaconform:created=<RFC 3339 time>.
package live

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/config"
)

// The marks of what a run makes: sweep deletes nothing that lacks them.
const (
	// Prefix starts the name of every pool and role a run makes.
	Prefix = config.PoolPrefix
	// Path is the IAM path of the run's roles.
	Path = "/mfaconform/"
	// TagRun holds the run ID; TagCreated when the run made the resource.
	TagRun     = "mfaconform:run"
	TagCreated = "mfaconform:created"
)

// Run is one live run: its ID and where it writes.
type Run struct {
	ID      string
	Account string
	// Partition is the ARN partition of the account (aws, aws-cn, ...).
	Partition string
	Region    string
	Created   time.Time

	// cfg is the configuration the guard checked (Identity.cfg): nil for
	// a Run not made by NewRun, which writes nothing.
	cfg *aws.Config
}

// NewRun starts a run in the account the guard found, in the region of
// the configuration it checked: a fresh random ID. Only a Run made of an
// Identity that CheckAccount returned writes anything (Roles).
func NewRun(id Identity) Run {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	r := Run{ID: hex.EncodeToString(b), Account: id.Account, Partition: id.Partition,
		Created: time.Now().UTC().Truncate(time.Second), cfg: id.cfg}
	if id.cfg != nil {
		r.Region = id.cfg.Region
	}
	return r
}

// PoolPrefix starts the name of the run's pools.
func (r Run) PoolPrefix() string { return Prefix + r.ID + "-" }

// Tags are the tags of everything the run makes.
func (r Run) Tags() map[string]string {
	return map[string]string{TagRun: r.ID, TagCreated: r.Created.Format(time.RFC3339)}
}

// ExternalID is the sts:ExternalId the run's roles that trust Cognito
// require.
func (r Run) ExternalID() string { return Prefix + r.ID }

// The run's three SMS roles, by the facts the contract's rules need.
var roleKinds = []struct {
	suffix                 string
	trustsCognito, publish bool
}{
	{"sms", true, true},
	{"sms-untrusted", false, true},
	{"sms-nopublish", true, false},
}

func (r Run) roleName(suffix string) string { return Prefix + r.ID + "-" + suffix }

func (r Run) roleARN(name string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", r.Partition, r.Account, Path, name)
}

// World is the run's fixture world: base's (the --fixtures file's, or the
// default's) in the run's region, with the run's own three SMS roles in
// place of the default world's when base names no role of its own. The
// roles are made by the Account that Roles returns.
func (r Run) World(base *contracts.World) *contracts.World {
	w := *base
	w.Region = r.Region
	w.Pools = append([]contracts.Pool(nil), base.Pools...)
	if len(base.Roles) > 0 && !defaultRoles(base) {
		w.Roles = append([]contracts.Role(nil), base.Roles...)
		return &w
	}
	w.Roles = nil
	for _, k := range roleKinds {
		role := contracts.Role{ARN: r.roleARN(r.roleName(k.suffix)), TrustsCognito: k.trustsCognito, CanPublish: k.publish}
		if k.trustsCognito {
			role.ExternalID = r.ExternalID()
		}
		w.Roles = append(w.Roles, role)
	}
	return &w
}

// defaultRoles: the world's roles are the default world's, which exist in
// no account.
func defaultRoles(w *contracts.World) bool {
	for _, r := range w.Roles {
		if contracts.DefaultWorld().Role(r.ARN) == nil {
			return false
		}
	}
	return true
}
