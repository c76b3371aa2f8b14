package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/config"
)

// publishPolicy is the inline policy of the roles that may publish.
const publishPolicy = "mfaconform-sns"

// Roles makes a run's SMS roles in IAM and deletes them again: the
// config.Account of a live run. It makes only the roles of the run's world
// that are the run's own (named mfaconform-<runID>-...): roles from a
// fixtures file are used, never made nor deleted.
type Roles struct {
	run   Run
	world *contracts.World

	mu   sync.Mutex
	made []string // role names, in the order they were made
}

var _ config.Account = (*Roles)(nil)

// Roles returns the account of the run: the roles of w that it makes,
// in IAM of the configuration the guard checked.
func (r Run) Roles(w *contracts.World) *Roles {
	return &Roles{run: r, world: w}
}

// Planned lists the roles Provision makes, by path and name.
func (a *Roles) Planned() []string {
	var out []string
	for _, k := range roleKinds {
		name := a.run.roleName(k.suffix)
		if a.world.Role(a.run.roleARN(name)) != nil {
			out = append(out, Path+name)
		}
	}
	return out
}

// client is IAM of the checked configuration; ErrNotGuarded without one.
func (a *Roles) client(gate func(context.Context) error) (*iam.Client, error) {
	if a.run.cfg == nil {
		return nil, ErrNotGuarded
	}
	return iam.NewFromConfig(*a.run.cfg, func(o *iam.Options) { o.APIOptions = gated(o.APIOptions, gate) }), nil
}

// Provision makes each planned role: its trust policy (cognito-idp with
// the run's sts:ExternalId, or another service for the untrusted one),
// its permission to publish to SNS where it has one, under the path
// /mfaconform/, tagged. A role is remembered for Teardown as soon as it
// exists, so a set-up that fails half-way still deletes what it made.
func (a *Roles) Provision(ctx context.Context, gate func(context.Context) error) error {
	c, err := a.client(gate)
	if err != nil {
		return err
	}
	var tags []iamtypes.Tag
	runTags := a.run.Tags()
	for _, k := range slices.Sorted(maps.Keys(runTags)) {
		tags = append(tags, iamtypes.Tag{Key: aws.String(k), Value: aws.String(runTags[k])})
	}
	for _, k := range roleKinds {
		name := a.run.roleName(k.suffix)
		role := a.world.Role(a.run.roleARN(name))
		if role == nil {
			continue
		}
		trust := trustPolicy("ec2.amazonaws.com", "")
		if role.TrustsCognito {
			trust = trustPolicy("cognito-idp.amazonaws.com", role.ExternalID)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// Once sent, a create is not cut by ctx's cancellation: a role made
		// whose answer was not read would be left behind, unknown to
		// Teardown. A deadline of ctx's still holds, a second later.
		cctx, cancel := uncut(ctx)
		_, err := c.CreateRole(cctx, &iam.CreateRoleInput{RoleName: aws.String(name), Path: aws.String(Path),
			AssumeRolePolicyDocument: aws.String(trust), Tags: tags,
			Description: aws.String("mfaconform run " + a.run.ID + ": an SMS role for Cognito MFA checks; deleted at the end of the run")})
		cancel()
		if err != nil {
			return fmt.Errorf("IAM CreateRole %s%s: %w", Path, name, err)
		}
		a.mu.Lock()
		a.made = append(a.made, name)
		a.mu.Unlock()
		if !role.CanPublish {
			continue
		}
		if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(publishPolicy),
			PolicyDocument: aws.String(policy(statement{Effect: "Allow", Action: "sns:Publish", Resource: "*"}))}); err != nil {
			return fmt.Errorf("IAM PutRolePolicy %s%s: %w", Path, name, err)
		}
	}
	return nil
}

// Teardown deletes every role Provision made, its inline policies first.
// When ctx ends (a second interrupt) it stops and says what is left.
func (a *Roles) Teardown(ctx context.Context, gate func(context.Context) error) []config.Undeleted {
	a.mu.Lock()
	made := slices.Clone(a.made)
	a.mu.Unlock()
	if len(made) == 0 {
		return nil
	}
	c, err := a.client(gate)
	if err != nil {
		return nil
	}
	var left []config.Undeleted
	for _, name := range made {
		err := ctx.Err()
		if err == nil {
			err = deleteRole(ctx, c, name)
		}
		if err != nil {
			why := err.Error()
			if ctx.Err() != nil {
				why = "not deleted: the cleanup was stopped"
			}
			left = append(left, config.Undeleted{Name: Path + name, Why: why})
			continue
		}
		a.mu.Lock()
		a.made = slices.DeleteFunc(a.made, func(n string) bool { return n == name })
		a.mu.Unlock()
	}
	return left
}

// uncut is ctx without its cancellation, its deadline (if any) pushed a
// second later: how long a create may outlast the run's deadline.
func uncut(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	ctx = context.WithoutCancel(ctx)
	if !ok {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, d.Add(time.Second))
}

// deleteRole deletes a role's inline policies, then the role. A role that
// is already gone is no error.
func deleteRole(ctx context.Context, c *iam.Client, name string) error {
	var gone *iamtypes.NoSuchEntityException
	p := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if errors.As(err, &gone) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("IAM ListRolePolicies: %w", err)
		}
		for _, pol := range page.PolicyNames {
			if _, err := c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pol)}); err != nil && !errors.As(err, &gone) {
				return fmt.Errorf("IAM DeleteRolePolicy %s: %w", pol, err)
			}
		}
	}
	if _, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)}); err != nil && !errors.As(err, &gone) {
		return fmt.Errorf("IAM DeleteRole: %w", err)
	}
	return nil
}

// statement is one statement of an IAM policy document.
type statement struct {
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal,omitempty"`
	Action    string         `json:"Action"`
	Resource  string         `json:"Resource,omitempty"`
	Condition map[string]any `json:"Condition,omitempty"`
}

func policy(s ...statement) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": s})
	return string(b)
}

// trustPolicy lets service assume the role, with the sts:ExternalId
// condition when externalID is set.
func trustPolicy(service, externalID string) string {
	s := statement{Effect: "Allow", Principal: map[string]any{"Service": service}, Action: "sts:AssumeRole"}
	if externalID != "" {
		s.Condition = map[string]any{"StringEquals": map[string]any{"sts:ExternalId": externalID}}
	}
	return policy(s)
}
