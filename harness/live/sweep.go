package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/mfaconform/mfaconform/internal/rate"
)

// Resource kinds a sweep finds.
const (
	KindPool = "pool"
	KindRole = "role"
)

// Found is one resource that bears a run's marks.
type Found struct {
	Kind string
	// ID is a pool's ID, or a role's path and name.
	ID      string
	Name    string
	RunID   string
	Created time.Time
	// Deleted: the sweep deleted it. Err: it could not.
	Deleted bool
	Err     error
}

func (f Found) String() string {
	s := f.Kind + " " + f.ID
	if f.Kind == KindPool {
		s += " (" + f.Name + ")"
	}
	made := "at an unknown time"
	if !f.Created.IsZero() {
		made = f.Created.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s of run %s, made %s", s, f.RunID, made)
}

// SweepOptions says what a sweep deletes, and how fast.
type SweepOptions struct {
	// OlderThan: only what a run made at least this long before Now (by
	// its mfaconform:created tag; without a readable one, nothing).
	OlderThan time.Duration
	Now       time.Time
	// DryRun finds and reports, and deletes nothing.
	DryRun bool
	// Rate bounds every call of the sweep, in calls a second: a finite
	// number of at least 0.01. It is required: a zero Rate is refused, as
	// no bound at all is for every live command (the command line's
	// default is config.LiveRate, 5).
	Rate float64
	// Guarded, when set, is told whose the account is once the guard has
	// passed, before anything is listed or deleted (the command line says
	// its plan there).
	Guarded func(Identity)
	// Each is told of every resource as it is dealt with.
	Each func(Found)
}

// ErrSweepOption is a SweepOptions value Sweep refuses; nothing is sent.
var ErrSweepOption = errors.New("invalid sweep option")

// Sweep finds what runs left in an allowed account and deletes it: the
// user pools of cfg's region whose name starts with mfaconform- and that
// carry the mfaconform:run tag (found with ListUserPools and
// DescribeUserPool, which every Cognito implements, not with tag listing),
// and the IAM roles under /mfaconform/ whose name starts with mfaconform-
// and that carry the same tag. It never touches anything that lacks one
// of those marks. The account guard (CheckAccount, with allowed) comes
// first, and every call after it waits for o.Rate. The error is a refused
// option, the guard's, or a listing that failed; a resource it could not
// delete is in its Found.
func Sweep(ctx context.Context, cfg aws.Config, allowed []string, o SweepOptions) ([]Found, error) {
	if why := rate.Invalid(o.Rate); why != "" {
		return nil, fmt.Errorf("%w: Rate %g: %s", ErrSweepOption, o.Rate, why)
	}
	if o.OlderThan < 0 {
		return nil, fmt.Errorf("%w: OlderThan %v: must not be negative", ErrSweepOption, o.OlderThan)
	}
	id, err := CheckAccount(ctx, cfg, allowed)
	if err != nil {
		return nil, err
	}
	if o.Guarded != nil {
		o.Guarded(id)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	var all []Found
	each := func(f Found) {
		all = append(all, f)
		if o.Each != nil {
			o.Each(f)
		}
	}
	gate := rate.New(o.Rate).Wait
	errPools := sweepPools(ctx, cip.NewFromConfig(cfg, func(op *cip.Options) { op.APIOptions = gated(op.APIOptions, gate) }), o, each)
	errRoles := sweepRoles(ctx, iam.NewFromConfig(cfg, func(op *iam.Options) { op.APIOptions = gated(op.APIOptions, gate) }), o, each)
	return all, errors.Join(errPools, errRoles)
}

// due reports whether a resource's tags mark it as a run's (the run tag)
// and whether it is old enough to sweep (the created tag).
func (o SweepOptions) due(tags map[string]string) (run string, created time.Time, ok bool) {
	run = tags[TagRun]
	if run == "" {
		return "", time.Time{}, false
	}
	created, err := time.Parse(time.RFC3339, tags[TagCreated])
	if o.OlderThan <= 0 {
		return run, created, true
	}
	return run, created, err == nil && !created.After(o.Now.Add(-o.OlderThan))
}

func sweepPools(ctx context.Context, c *cip.Client, o SweepOptions, each func(Found)) error {
	p := cip.NewListUserPoolsPaginator(c, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	var candidates []ciptypes.UserPoolDescriptionType
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("Cognito ListUserPools: %w", err)
		}
		for _, up := range page.UserPools {
			if strings.HasPrefix(aws.ToString(up.Name), Prefix) && up.Id != nil {
				candidates = append(candidates, up)
			}
		}
	}
	for _, up := range candidates {
		d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: up.Id})
		var gone *ciptypes.ResourceNotFoundException
		switch {
		case errors.As(err, &gone):
			continue
		case err != nil:
			return fmt.Errorf("Cognito DescribeUserPool %s: %w", aws.ToString(up.Id), err)
		case d.UserPool == nil:
			continue
		}
		tags := d.UserPool.UserPoolTags
		run, created, ok := o.due(tags)
		if !ok {
			continue
		}
		f := Found{Kind: KindPool, ID: aws.ToString(up.Id), Name: aws.ToString(up.Name), RunID: run, Created: created}
		if !o.DryRun {
			_, f.Err = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: up.Id})
			if errors.As(f.Err, &gone) {
				f.Err = nil
			}
			f.Deleted = f.Err == nil
		}
		each(f)
	}
	return nil
}

func sweepRoles(ctx context.Context, c *iam.Client, o SweepOptions, each func(Found)) error {
	p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{PathPrefix: aws.String(Path)})
	var names []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("IAM ListRoles: %w", err)
		}
		for _, r := range page.Roles {
			if aws.ToString(r.Path) == Path && strings.HasPrefix(aws.ToString(r.RoleName), Prefix) {
				names = append(names, aws.ToString(r.RoleName))
			}
		}
	}
	for _, name := range names {
		tags := map[string]string{}
		tp := iam.NewListRoleTagsPaginator(c, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
		var gone *iamtypes.NoSuchEntityException
		for tp.HasMorePages() {
			page, err := tp.NextPage(ctx)
			if errors.As(err, &gone) {
				break
			}
			if err != nil {
				return fmt.Errorf("IAM ListRoleTags %s: %w", name, err)
			}
			for _, t := range page.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
		}
		run, created, ok := o.due(tags)
		if !ok {
			continue
		}
		f := Found{Kind: KindRole, ID: Path + name, Name: name, RunID: run, Created: created}
		if !o.DryRun {
			f.Err = deleteRole(ctx, c, name)
			f.Deleted = f.Err == nil
		}
		each(f)
	}
	return nil
}
