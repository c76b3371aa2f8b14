package contracts_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

// TestNoExportedVariables keeps the contract out of users' reach: every
// table is behind a function, so no user can replace or grow one.
func TestNoExportedVariables(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if n.IsExported() {
						t.Errorf("%s: exported variable %s: put it behind a function", name, n.Name)
					}
				}
			}
		}
	}
}

// TestErrorShapeNames checks the naming scheme: each error shape's function
// is named as the model names the shape, which is its Code.
func TestErrorShapeNames(t *testing.T) {
	for _, r := range []struct {
		name string
		fn   func() *c.ErrorShape
	}{
		{"InvalidParameterException", c.InvalidParameterException},
		{"TooManyRequestsException", c.TooManyRequestsException},
		{"ConcurrentModificationException", c.ConcurrentModificationException},
		{"ResourceNotFoundException", c.ResourceNotFoundException},
		{"InvalidSmsRoleAccessPolicyException", c.InvalidSmsRoleAccessPolicyException},
		{"InvalidSmsRoleTrustRelationshipException", c.InvalidSmsRoleTrustRelationshipException},
		{"NotAuthorizedException", c.NotAuthorizedException},
		{"FeatureUnavailableInTierException", c.FeatureUnavailableInTierException},
		{"InternalErrorException", c.InternalErrorException},
		{"SerializationException", c.SerializationException},
		{"UnknownOperationException", c.UnknownOperationException},
	} {
		t.Run(r.name, func(t *testing.T) {
			e := r.fn()
			if e.Code != r.name {
				t.Errorf("%s().Code = %q", r.name, e.Code)
			}
			// Outcomes are compared by pointer (Outcome.Error == ...).
			if r.fn() != e || c.ErrorByCode(r.name) != e {
				t.Errorf("%s() is not one shared shape", r.name)
			}
		})
	}
}

// TestShapeNames checks that each shape function returns one shared shape
// named as its function (Go's ID for the model's Id).
func TestShapeNames(t *testing.T) {
	for _, fn := range []func() *c.Shape{
		c.UserPoolIDType, c.SmsVerificationMessageType, c.ArnType, c.StringType, c.RegionCodeType,
		c.BooleanType, c.EmailMfaMessageType, c.EmailMfaSubjectType, c.UserPoolMfaType,
		c.RelyingPartyIDType, c.UserVerificationType, c.WebAuthnFactorConfigurationType,
		c.SmsConfigurationType, c.SmsMfaConfigType, c.SoftwareTokenMfaConfigType, c.EmailMfaConfigType,
		c.WebAuthnConfigurationType, c.SetUserPoolMfaConfigRequest, c.SetUserPoolMfaConfigResponse,
		c.GetUserPoolMfaConfigRequest, c.GetUserPoolMfaConfigResponse,
	} {
		s := fn()
		if s == nil || fn() != s {
			t.Errorf("%v: not one shared shape", s)
		}
	}
	for _, op := range c.Operations() {
		if c.OperationByName(op.Name) != op {
			t.Errorf("OperationByName(%s) is not the operation Operations lists", op.Name)
		}
	}
}

// TestTablesAreCopies: what a user changes in a returned table does not
// reach the contract.
func TestTablesAreCopies(t *testing.T) {
	r := c.RuleByID(c.RuleOffWithFactor)
	r.Summary, r.Group = "changed", c.GroupProtocol
	if again := c.RuleByID(c.RuleOffWithFactor); again.Summary == "changed" || again.Group != c.GroupCross {
		t.Errorf("RuleByID returned the catalogue's own rule: %+v", again)
	}
	rules := c.Rules()
	rules[0].ID = "changed"
	if c.Rules()[0].ID == "changed" {
		t.Errorf("Rules returned the catalogue itself")
	}
	m := c.ConstraintRules()
	for k := range m {
		m[k] = "changed"
	}
	if got := c.ConstraintRules()["SetUserPoolMfaConfig MfaConfiguration enum"]; got != c.RuleSetMfaConfigurationEnum {
		t.Errorf("ConstraintRules returned the table itself: %q", got)
	}
}
