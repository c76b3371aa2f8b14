package contracts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/mfaconform/mfaconform/contracts"
)

// sdkOnlyErrors are errors the SDK (service/cognitoidentityprovider v1.61.0)
// dispatches for an operation while the contract, following botocore
// 1.43.11, does not list them. Any other difference fails.
var sdkOnlyErrors = map[string][]string{
	// Added to SetUserPoolMfaConfig in the model of 2026-06-01
	// (contract.md §1.5, botocore ffc371cd8); the pinned botocore predates it.
	contracts.OpSetUserPoolMfaConfig: {"OperationNotEnabledException"},
}

// sdkShapes pairs each operation's SDK input/output types with the contract shapes.
var sdkShapes = []struct {
	typ   reflect.Type
	shape *contracts.Shape
}{
	{reflect.TypeFor[cip.SetUserPoolMfaConfigInput](), contracts.SetUserPoolMfaConfigRequest()},
	{reflect.TypeFor[cip.SetUserPoolMfaConfigOutput](), contracts.SetUserPoolMfaConfigResponse()},
	{reflect.TypeFor[cip.GetUserPoolMfaConfigInput](), contracts.GetUserPoolMfaConfigRequest()},
	{reflect.TypeFor[cip.GetUserPoolMfaConfigOutput](), contracts.GetUserPoolMfaConfigResponse()},
}

var typesPkg = reflect.TypeFor[types.UserPoolMfaType]().PkgPath()

// sdkDrift compares an SDK struct type with a contract structure shape,
// recursively into types.* structs.
func sdkDrift(t reflect.Type, s *contracts.Shape, path string) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	var fields []string
	for f := range t.Fields() {
		if !f.IsExported() || f.Name == "ResultMetadata" {
			continue
		}
		fields = append(fields, f.Name)
		p := path + "." + f.Name
		m := s.Member(f.Name)
		if m == nil {
			add("%s: SDK field, not in contract shape %s", p, s.Name)
			continue
		}
		ft := f.Type
		switch m.Shape.Type {
		case contracts.TypeString:
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() != reflect.String {
				add("%s: SDK type %s, contract %s", p, f.Type, m.Shape.Type)
			}
			if len(m.Shape.Enum) > 0 && ft.PkgPath() != typesPkg {
				add("%s: contract enum %s, SDK type %s is not a types enum", p, m.Shape.Name, f.Type)
			}
		case contracts.TypeBoolean:
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() != reflect.Bool {
				add("%s: SDK type %s, contract %s", p, f.Type, m.Shape.Type)
			}
		case contracts.TypeStructure:
			if ft.Kind() != reflect.Pointer || ft.Elem().Kind() != reflect.Struct || ft.Elem().PkgPath() != typesPkg {
				add("%s: SDK type %s, contract structure %s", p, f.Type, m.Shape.Name)
				continue
			}
			if ft.Elem().Name() != m.Shape.Name {
				add("%s: SDK type %s, contract shape %s", p, ft.Elem().Name(), m.Shape.Name)
			}
			errs = append(errs, sdkDrift(ft.Elem(), m.Shape, p)...)
		}
	}
	for _, m := range s.Members {
		if !slices.Contains(fields, m.Name) {
			add("%s.%s: contract member, not an SDK field of %s", path, m.Name, t.Name())
		}
	}
	return errs
}

func TestSDKShapes(t *testing.T) {
	for _, c := range sdkShapes {
		t.Run(c.typ.Name(), func(t *testing.T) {
			if err := errors.Join(sdkDrift(c.typ, c.shape, c.typ.Name())...); err != nil {
				t.Errorf("SDK cognitoidentityprovider v1.61.0 differs from contract %q:\n%v", contracts.Revision, err)
			}
		})
	}
}

func TestSDKEnums(t *testing.T) {
	for _, c := range []struct {
		shape *contracts.Shape
		sdk   []string
	}{
		{contracts.UserPoolMfaType(), enumStrings(types.UserPoolMfaType("").Values())},
		{contracts.UserVerificationType(), enumStrings(types.UserVerificationType("").Values())},
		{contracts.WebAuthnFactorConfigurationType(), enumStrings(types.WebAuthnFactorConfigurationType("").Values())},
	} {
		if !slices.Equal(c.shape.Enum, c.sdk) {
			t.Errorf("%s: contract %q, SDK %q", c.shape.Name, c.shape.Enum, c.sdk)
		}
	}
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// sdkTypedErrors maps each error code the contract models to the SDK's typed error.
var sdkTypedErrors = map[string]smithy.APIError{
	"InvalidParameterException":                &types.InvalidParameterException{},
	"TooManyRequestsException":                 &types.TooManyRequestsException{},
	"ConcurrentModificationException":          &types.ConcurrentModificationException{},
	"ResourceNotFoundException":                &types.ResourceNotFoundException{},
	"InvalidSmsRoleAccessPolicyException":      &types.InvalidSmsRoleAccessPolicyException{},
	"InvalidSmsRoleTrustRelationshipException": &types.InvalidSmsRoleTrustRelationshipException{},
	"NotAuthorizedException":                   &types.NotAuthorizedException{},
	"InternalErrorException":                   &types.InternalErrorException{},
	"FeatureUnavailableInTierException":        &types.FeatureUnavailableInTierException{},
}

func TestSDKTypedErrors(t *testing.T) {
	for _, op := range contracts.Operations() {
		for _, e := range op.Errors {
			typed, ok := sdkTypedErrors[e.Code]
			if !ok {
				t.Errorf("%s: %s has no typed SDK error in this test's table", op.Name, e.Code)
				continue
			}
			if typed.ErrorCode() != e.Code {
				t.Errorf("%s: SDK type answers code %s", e.Code, typed.ErrorCode())
			}
			want := smithy.FaultClient
			if e.Fault == contracts.FaultServer {
				want = smithy.FaultServer
			}
			if got := typed.ErrorFault(); got != want {
				t.Errorf("%s: contract fault %s, SDK ErrorFault %v", e.Code, e.Fault, got)
			}
		}
	}
}

// sdkErrorCodes are the error shapes of types/errors.go in v1.61.0: the
// candidates the dispatch probe sends as __type.
var sdkErrorCodes = []string{
	"AccessDeniedException", "AliasExistsException", "CodeDeliveryFailureException", "CodeMismatchException",
	"ConcurrentModificationException", "DeviceKeyExistsException", "DuplicateProviderException",
	"EnableSoftwareTokenMFAException", "ExpiredCodeException", "FeatureUnavailableInTierException",
	"ForbiddenException", "GroupExistsException", "InternalErrorException", "InternalServerException",
	"InvalidEmailRoleAccessPolicyException", "InvalidLambdaResponseException", "InvalidOAuthFlowException",
	"InvalidParameterException", "InvalidPasswordException", "InvalidSmsRoleAccessPolicyException",
	"InvalidSmsRoleTrustRelationshipException", "InvalidUserPoolConfigurationException",
	"LimitExceededException", "ManagedLoginBrandingExistsException", "MFAMethodNotFoundException",
	"NotAuthorizedException", "OperationNotEnabledException", "PasswordHistoryPolicyViolationException",
	"PasswordResetRequiredException", "PreconditionNotMetException", "RefreshTokenReuseException",
	"ResourceNotFoundException", "ScopeDoesNotExistException", "SoftwareTokenMFANotFoundException",
	"TermsExistsException", "TierChangeNotAllowedException", "TooManyFailedAttemptsException",
	"TooManyRequestsException", "UnauthorizedException", "UnexpectedLambdaException",
	"UnsupportedIdentityProviderException", "UnsupportedOperationException", "UnsupportedTokenTypeException",
	"UnsupportedUserStateException", "UserImportInProgressException", "UserLambdaValidationException",
	"UsernameExistsException", "UserNotConfirmedException", "UserNotFoundException",
	"UserPoolAddOnNotEnabledException", "UserPoolTaggingException", "WebAuthnChallengeNotFoundException",
	"WebAuthnClientMismatchException", "WebAuthnConfigurationMissingException",
	"WebAuthnCredentialNotSupportedException", "WebAuthnNotEnabledException",
	"WebAuthnOriginNotAllowedException", "WebAuthnRelyingPartyMismatchException",
}

type errorResponder string

func (code errorResponder) Do(*http.Request) (*http.Response, error) {
	body := fmt.Sprintf(`{"__type":%q,"message":"probe"}`, string(code))
	return &http.Response{StatusCode: 400, Status: "400 Bad Request",
		Header: http.Header{"Content-Type": {contracts.ContentType}},
		Body:   io.NopCloser(bytes.NewReader([]byte(body)))}, nil
}

// sdkDispatch returns the error codes for which the SDK's deserializer of
// an operation builds a typed error rather than a smithy.GenericAPIError.
func sdkDispatch(t *testing.T, op string) []string {
	t.Helper()
	var typed []string
	for _, code := range sdkErrorCodes {
		client := cip.New(cip.Options{Region: "us-east-1", HTTPClient: errorResponder(code),
			Credentials: aws.AnonymousCredentials{}, Retryer: aws.NopRetryer{}})
		var err error
		ctx := context.Background()
		switch op {
		case contracts.OpSetUserPoolMfaConfig:
			_, err = client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_probe")})
		case contracts.OpGetUserPoolMfaConfig:
			_, err = client.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_probe")})
		}
		var apiErr smithy.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s answering %s: not an API error: %v", op, code, err)
		}
		if _, generic := apiErr.(*smithy.GenericAPIError); generic {
			continue
		}
		if apiErr.ErrorCode() != code || reflect.TypeOf(apiErr).Elem().PkgPath() != typesPkg {
			t.Errorf("%s answering %s: SDK gave %T with code %s", op, code, apiErr, apiErr.ErrorCode())
		}
		typed = append(typed, code)
	}
	return typed
}

func TestSDKOperationErrors(t *testing.T) {
	for _, op := range contracts.Operations() {
		t.Run(op.Name, func(t *testing.T) {
			sdk := sdkDispatch(t, op.Name)
			var errs []error
			for _, e := range op.Errors {
				if !slices.Contains(sdk, e.Code) {
					errs = append(errs, fmt.Errorf("%s: %s in contract, SDK does not type it", op.Name, e.Code))
				}
			}
			for _, code := range sdk {
				if op.Modeled(code) {
					continue
				}
				if slices.Contains(sdkOnlyErrors[op.Name], code) {
					t.Logf("allowed: %s types %s, which the contract's model (%s) lacks", op.Name, code, contracts.Revision)
					continue
				}
				errs = append(errs, fmt.Errorf("%s: SDK types %s, not in contract", op.Name, code))
			}
			for _, code := range sdkOnlyErrors[op.Name] {
				if !slices.Contains(sdk, code) {
					errs = append(errs, fmt.Errorf("%s: allowlisted %s is no longer typed by the SDK; drop the entry", op.Name, code))
				}
				if op.Modeled(code) {
					errs = append(errs, fmt.Errorf("%s: allowlisted %s is now in the contract; drop the entry", op.Name, code))
				}
			}
			if err := errors.Join(errs...); err != nil {
				t.Error(err)
			}
		})
	}
}
