package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Identity is whose the credentials are, as STS says.
type Identity struct {
	Account string
	ARN     string
	// Partition is the ARN partition (aws, aws-cn, aws-us-gov).
	Partition string
}

// ErrNoAllowlist is a live command given no account it may write to.
var ErrNoAllowlist = errors.New("no account is allowed: --allow-account ID[,ID...] (or MFACONFORM_ALLOW_ACCOUNTS) names the accounts this command may write to")

// AccountError is credentials of an account outside the allowlist.
type AccountError struct {
	Account string
	Allowed []string
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("the credentials are of account %s, which --allow-account (%s) does not list; nothing was written",
		e.Account, strings.Join(e.Allowed, ","))
}

// CheckAccount asks STS whose the credentials are (GetCallerIdentity,
// which writes nothing and needs no permission) and returns the identity
// when its account is one of allowed. It is the first call of every live
// command: no call that writes is made before it has passed.
func CheckAccount(ctx context.Context, cfg aws.Config, allowed []string, optFns ...func(*sts.Options)) (Identity, error) {
	if len(allowed) == 0 {
		return Identity{}, ErrNoAllowlist
	}
	out, err := sts.NewFromConfig(cfg, optFns...).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, fmt.Errorf("cannot tell whose the credentials are (STS GetCallerIdentity): %w", err)
	}
	id := Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), Partition: "aws"}
	if parts := strings.SplitN(id.ARN, ":", 3); len(parts) == 3 && parts[0] == "arn" && parts[1] != "" {
		id.Partition = parts[1]
	}
	if !slices.Contains(allowed, id.Account) {
		return id, &AccountError{Account: id.Account, Allowed: allowed}
	}
	return id, nil
}
