package contracts

// Unexported pieces the external tests (package contracts_test) check.
var (
	MemberPaths = memberPaths
	FreshState  = freshState
)

const (
	ServiceID  = serviceID
	APIVersion = apiVersion
)
