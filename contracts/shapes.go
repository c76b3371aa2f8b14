package contracts

// ShapeType is the type of a model shape.
type ShapeType string

// Shape types that occur in the two operations.
const (
	TypeString    ShapeType = "string"
	TypeBoolean   ShapeType = "boolean"
	TypeStructure ShapeType = "structure"
)

// Shape is one shape of the model with its constraints exactly as botocore
// has them. Min and Max are nil when the model sets no bound. Pattern is the
// model's regular expression, unanchored as botocore stores it; it is
// evaluated as a full match (contract.md §1.3).
type Shape struct {
	Name    string
	Type    ShapeType
	Min     *int
	Max     *int
	Pattern string
	Enum    []string
	// Members of a structure, in model order.
	Members []Member
}

// Member is a structure member.
type Member struct {
	Name     string
	Shape    *Shape
	Required bool
}

// Member returns the member called name, or nil.
func (s *Shape) Member(name string) *Member {
	for i := range s.Members {
		if s.Members[i].Name == name {
			return &s.Members[i]
		}
	}
	return nil
}

func bound(n int) *int { return &n }

const anyChar = `[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`

// The shapes of both operations, recursively (botocore 1.43.11).
var (
	UserPoolIDType = &Shape{Name: "UserPoolIdType", Type: TypeString,
		Min: bound(1), Max: bound(55), Pattern: `[\w-]+_[0-9a-zA-Z]+`}
	SmsVerificationMessageType = &Shape{Name: "SmsVerificationMessageType", Type: TypeString,
		Min: bound(6), Max: bound(140), Pattern: `.*\{####\}.*`}
	ArnType = &Shape{Name: "ArnType", Type: TypeString,
		Min: bound(20), Max: bound(2048),
		Pattern: `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`}
	StringType     = &Shape{Name: "StringType", Type: TypeString, Min: bound(0), Max: bound(131072)}
	RegionCodeType = &Shape{Name: "RegionCodeType", Type: TypeString, Min: bound(5), Max: bound(32)}
	BooleanType    = &Shape{Name: "BooleanType", Type: TypeBoolean}

	EmailMfaMessageType = &Shape{Name: "EmailMfaMessageType", Type: TypeString,
		Min: bound(6), Max: bound(20000), Pattern: anyChar + `\{####\}` + anyChar}
	EmailMfaSubjectType = &Shape{Name: "EmailMfaSubjectType", Type: TypeString,
		Pattern: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`}
	UserPoolMfaType = &Shape{Name: "UserPoolMfaType", Type: TypeString,
		Enum: []string{"OFF", "ON", "OPTIONAL"}}
	RelyingPartyIDType   = &Shape{Name: "RelyingPartyIdType", Type: TypeString, Min: bound(1), Max: bound(127)}
	UserVerificationType = &Shape{Name: "UserVerificationType", Type: TypeString,
		Enum: []string{"required", "preferred"}}
	WebAuthnFactorConfigurationType = &Shape{Name: "WebAuthnFactorConfigurationType", Type: TypeString,
		Enum: []string{"SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"}}

	SmsConfigurationType = &Shape{Name: "SmsConfigurationType", Type: TypeStructure, Members: []Member{
		{Name: "SnsCallerArn", Shape: ArnType, Required: true},
		{Name: "ExternalId", Shape: StringType},
		{Name: "SnsRegion", Shape: RegionCodeType},
	}}
	SmsMfaConfigType = &Shape{Name: "SmsMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "SmsAuthenticationMessage", Shape: SmsVerificationMessageType},
		{Name: "SmsConfiguration", Shape: SmsConfigurationType},
	}}
	SoftwareTokenMfaConfigType = &Shape{Name: "SoftwareTokenMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "Enabled", Shape: BooleanType},
	}}
	EmailMfaConfigType = &Shape{Name: "EmailMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "Message", Shape: EmailMfaMessageType},
		{Name: "Subject", Shape: EmailMfaSubjectType},
	}}
	WebAuthnConfigurationType = &Shape{Name: "WebAuthnConfigurationType", Type: TypeStructure, Members: []Member{
		{Name: "RelyingPartyId", Shape: RelyingPartyIDType},
		{Name: "UserVerification", Shape: UserVerificationType},
		{Name: "FactorConfiguration", Shape: WebAuthnFactorConfigurationType},
	}}

	SetUserPoolMfaConfigRequest = &Shape{Name: "SetUserPoolMfaConfigRequest", Type: TypeStructure, Members: []Member{
		{Name: "UserPoolId", Shape: UserPoolIDType, Required: true},
		{Name: "SmsMfaConfiguration", Shape: SmsMfaConfigType},
		{Name: "SoftwareTokenMfaConfiguration", Shape: SoftwareTokenMfaConfigType},
		{Name: "EmailMfaConfiguration", Shape: EmailMfaConfigType},
		{Name: "MfaConfiguration", Shape: UserPoolMfaType},
		{Name: "WebAuthnConfiguration", Shape: WebAuthnConfigurationType},
	}}
	SetUserPoolMfaConfigResponse = &Shape{Name: "SetUserPoolMfaConfigResponse", Type: TypeStructure, Members: responseMembers()}
	GetUserPoolMfaConfigRequest  = &Shape{Name: "GetUserPoolMfaConfigRequest", Type: TypeStructure, Members: []Member{
		{Name: "UserPoolId", Shape: UserPoolIDType, Required: true},
	}}
	GetUserPoolMfaConfigResponse = &Shape{Name: "GetUserPoolMfaConfigResponse", Type: TypeStructure, Members: responseMembers()}
)

func responseMembers() []Member {
	return []Member{
		{Name: "SmsMfaConfiguration", Shape: SmsMfaConfigType},
		{Name: "SoftwareTokenMfaConfiguration", Shape: SoftwareTokenMfaConfigType},
		{Name: "EmailMfaConfiguration", Shape: EmailMfaConfigType},
		{Name: "MfaConfiguration", Shape: UserPoolMfaType},
		{Name: "WebAuthnConfiguration", Shape: WebAuthnConfigurationType},
	}
}

// Operation is one modeled operation: its shapes and its modeled errors in
// model order.
type Operation struct {
	Name   string
	Input  *Shape
	Output *Shape
	Errors []*ErrorShape
}

// Target is the X-Amz-Target header value of the operation.
func (o *Operation) Target() string { return Target(o.Name) }

// Modeled reports whether the operation lists the error code.
func (o *Operation) Modeled(code string) bool {
	for _, e := range o.Errors {
		if e.Code == code {
			return true
		}
	}
	return false
}

// The two operations of the contract.
var (
	SetUserPoolMfaConfig = &Operation{Name: OpSetUserPoolMfaConfig,
		Input: SetUserPoolMfaConfigRequest, Output: SetUserPoolMfaConfigResponse,
		Errors: []*ErrorShape{
			ErrInvalidParameter, ErrTooManyRequests, ErrConcurrentModification, ErrResourceNotFound,
			ErrInvalidSmsRoleAccessPolicy, ErrInvalidSmsRoleTrustRelationship, ErrNotAuthorized,
			ErrInternalError, ErrFeatureUnavailableInTier,
		}}
	GetUserPoolMfaConfig = &Operation{Name: OpGetUserPoolMfaConfig,
		Input: GetUserPoolMfaConfigRequest, Output: GetUserPoolMfaConfigResponse,
		Errors: []*ErrorShape{
			ErrInvalidParameter, ErrTooManyRequests, ErrResourceNotFound, ErrNotAuthorized, ErrInternalError,
		}}
)

// Operations lists the operations the contract covers.
func Operations() []*Operation { return []*Operation{SetUserPoolMfaConfig, GetUserPoolMfaConfig} }

// OperationByName returns the operation called name, or nil.
func OperationByName(name string) *Operation {
	for _, o := range Operations() {
		if o.Name == name {
			return o
		}
	}
	return nil
}
