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

// The shapes of both operations, recursively (botocore 1.43.11). They are
// reached through the functions below, named as the model names them (with
// Go's ID for Id), so that no user can replace one. The functions return
// the same pointer every time, so shapes may be compared with ==; callers
// must not change them.
var (
	userPoolIDType = &Shape{Name: "UserPoolIdType", Type: TypeString,
		Min: bound(1), Max: bound(55), Pattern: `[\w-]+_[0-9a-zA-Z]+`}
	smsVerificationMessageType = &Shape{Name: "SmsVerificationMessageType", Type: TypeString,
		Min: bound(6), Max: bound(140), Pattern: `.*\{####\}.*`}
	arnType = &Shape{Name: "ArnType", Type: TypeString,
		Min: bound(20), Max: bound(2048),
		Pattern: `arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`}
	stringType     = &Shape{Name: "StringType", Type: TypeString, Min: bound(0), Max: bound(131072)}
	regionCodeType = &Shape{Name: "RegionCodeType", Type: TypeString, Min: bound(5), Max: bound(32)}
	booleanType    = &Shape{Name: "BooleanType", Type: TypeBoolean}

	emailMfaMessageType = &Shape{Name: "EmailMfaMessageType", Type: TypeString,
		Min: bound(6), Max: bound(20000), Pattern: anyChar + `\{####\}` + anyChar}
	emailMfaSubjectType = &Shape{Name: "EmailMfaSubjectType", Type: TypeString,
		Pattern: `[\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`}
	userPoolMfaType = &Shape{Name: "UserPoolMfaType", Type: TypeString,
		Enum: []string{"OFF", "ON", "OPTIONAL"}}
	relyingPartyIDType   = &Shape{Name: "RelyingPartyIdType", Type: TypeString, Min: bound(1), Max: bound(127)}
	userVerificationType = &Shape{Name: "UserVerificationType", Type: TypeString,
		Enum: []string{"required", "preferred"}}
	webAuthnFactorConfigurationType = &Shape{Name: "WebAuthnFactorConfigurationType", Type: TypeString,
		Enum: []string{"SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"}}

	smsConfigurationType = &Shape{Name: "SmsConfigurationType", Type: TypeStructure, Members: []Member{
		{Name: "SnsCallerArn", Shape: arnType, Required: true},
		{Name: "ExternalId", Shape: stringType},
		{Name: "SnsRegion", Shape: regionCodeType},
	}}
	smsMfaConfigType = &Shape{Name: "SmsMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "SmsAuthenticationMessage", Shape: smsVerificationMessageType},
		{Name: "SmsConfiguration", Shape: smsConfigurationType},
	}}
	softwareTokenMfaConfigType = &Shape{Name: "SoftwareTokenMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "Enabled", Shape: booleanType},
	}}
	emailMfaConfigType = &Shape{Name: "EmailMfaConfigType", Type: TypeStructure, Members: []Member{
		{Name: "Message", Shape: emailMfaMessageType},
		{Name: "Subject", Shape: emailMfaSubjectType},
	}}
	webAuthnConfigurationType = &Shape{Name: "WebAuthnConfigurationType", Type: TypeStructure, Members: []Member{
		{Name: "RelyingPartyId", Shape: relyingPartyIDType},
		{Name: "UserVerification", Shape: userVerificationType},
		{Name: "FactorConfiguration", Shape: webAuthnFactorConfigurationType},
	}}

	setUserPoolMfaConfigRequest = &Shape{Name: "SetUserPoolMfaConfigRequest", Type: TypeStructure, Members: []Member{
		{Name: "UserPoolId", Shape: userPoolIDType, Required: true},
		{Name: "SmsMfaConfiguration", Shape: smsMfaConfigType},
		{Name: "SoftwareTokenMfaConfiguration", Shape: softwareTokenMfaConfigType},
		{Name: "EmailMfaConfiguration", Shape: emailMfaConfigType},
		{Name: "MfaConfiguration", Shape: userPoolMfaType},
		{Name: "WebAuthnConfiguration", Shape: webAuthnConfigurationType},
	}}
	setUserPoolMfaConfigResponse = &Shape{Name: "SetUserPoolMfaConfigResponse", Type: TypeStructure, Members: responseMembers()}
	getUserPoolMfaConfigRequest  = &Shape{Name: "GetUserPoolMfaConfigRequest", Type: TypeStructure, Members: []Member{
		{Name: "UserPoolId", Shape: userPoolIDType, Required: true},
	}}
	getUserPoolMfaConfigResponse = &Shape{Name: "GetUserPoolMfaConfigResponse", Type: TypeStructure, Members: responseMembers()}
)

// UserPoolIDType: 1..55, [\w-]+_[0-9a-zA-Z]+ (the model's UserPoolIdType).
func UserPoolIDType() *Shape { return userPoolIDType }

// SmsVerificationMessageType: 6..140, contains {####}.
func SmsVerificationMessageType() *Shape { return smsVerificationMessageType }

// ArnType: 20..2048, an ARN.
func ArnType() *Shape { return arnType }

// StringType: 0..131072, anything (ExternalId).
func StringType() *Shape { return stringType }

// RegionCodeType: 5..32 (SnsRegion).
func RegionCodeType() *Shape { return regionCodeType }

// BooleanType: a JSON boolean (Enabled).
func BooleanType() *Shape { return booleanType }

// EmailMfaMessageType: 6..20000, text containing {####}.
func EmailMfaMessageType() *Shape { return emailMfaMessageType }

// EmailMfaSubjectType: non-empty text.
func EmailMfaSubjectType() *Shape { return emailMfaSubjectType }

// UserPoolMfaType: OFF, ON or OPTIONAL.
func UserPoolMfaType() *Shape { return userPoolMfaType }

// RelyingPartyIDType: 1..127 (the model's RelyingPartyIdType).
func RelyingPartyIDType() *Shape { return relyingPartyIDType }

// UserVerificationType: required or preferred.
func UserVerificationType() *Shape { return userVerificationType }

// WebAuthnFactorConfigurationType: SINGLE_FACTOR or MULTI_FACTOR_WITH_USER_VERIFICATION.
func WebAuthnFactorConfigurationType() *Shape { return webAuthnFactorConfigurationType }

// SmsConfigurationType: SnsCallerArn (required), ExternalId, SnsRegion.
func SmsConfigurationType() *Shape { return smsConfigurationType }

// SmsMfaConfigType: SmsAuthenticationMessage, SmsConfiguration.
func SmsMfaConfigType() *Shape { return smsMfaConfigType }

// SoftwareTokenMfaConfigType: Enabled.
func SoftwareTokenMfaConfigType() *Shape { return softwareTokenMfaConfigType }

// EmailMfaConfigType: Message, Subject.
func EmailMfaConfigType() *Shape { return emailMfaConfigType }

// WebAuthnConfigurationType: RelyingPartyId, UserVerification, FactorConfiguration.
func WebAuthnConfigurationType() *Shape { return webAuthnConfigurationType }

// SetUserPoolMfaConfigRequest is the input of SetUserPoolMfaConfig.
func SetUserPoolMfaConfigRequest() *Shape { return setUserPoolMfaConfigRequest }

// SetUserPoolMfaConfigResponse is the output of SetUserPoolMfaConfig.
func SetUserPoolMfaConfigResponse() *Shape { return setUserPoolMfaConfigResponse }

// GetUserPoolMfaConfigRequest is the input of GetUserPoolMfaConfig.
func GetUserPoolMfaConfigRequest() *Shape { return getUserPoolMfaConfigRequest }

// GetUserPoolMfaConfigResponse is the output of GetUserPoolMfaConfig.
func GetUserPoolMfaConfigResponse() *Shape { return getUserPoolMfaConfigResponse }

func responseMembers() []Member {
	return []Member{
		{Name: "SmsMfaConfiguration", Shape: smsMfaConfigType},
		{Name: "SoftwareTokenMfaConfiguration", Shape: softwareTokenMfaConfigType},
		{Name: "EmailMfaConfiguration", Shape: emailMfaConfigType},
		{Name: "MfaConfiguration", Shape: userPoolMfaType},
		{Name: "WebAuthnConfiguration", Shape: webAuthnConfigurationType},
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

// The two operations of the contract, reached through Operations and
// OperationByName.
var (
	setOperation = &Operation{Name: OpSetUserPoolMfaConfig,
		Input: setUserPoolMfaConfigRequest, Output: setUserPoolMfaConfigResponse,
		Errors: []*ErrorShape{
			InvalidParameterException(), TooManyRequestsException(), ConcurrentModificationException(), ResourceNotFoundException(),
			InvalidSmsRoleAccessPolicyException(), InvalidSmsRoleTrustRelationshipException(), NotAuthorizedException(),
			InternalErrorException(), FeatureUnavailableInTierException(),
		}}
	getOperation = &Operation{Name: OpGetUserPoolMfaConfig,
		Input: getUserPoolMfaConfigRequest, Output: getUserPoolMfaConfigResponse,
		Errors: []*ErrorShape{
			InvalidParameterException(), TooManyRequestsException(), ResourceNotFoundException(), NotAuthorizedException(), InternalErrorException(),
		}}
)

// Operations lists the operations the contract covers.
func Operations() []*Operation { return []*Operation{setOperation, getOperation} }

// OperationByName returns the operation called name, or nil.
func OperationByName(name string) *Operation {
	for _, o := range Operations() {
		if o.Name == name {
			return o
		}
	}
	return nil
}
