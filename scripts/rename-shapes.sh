#!/usr/bin/env bash
# Rewrite Go code for the contracts API in which error shapes and model
# shapes are functions instead of exported variables (branch wt-contracts).
# Run it from anywhere inside the repository after merging; it is idempotent
# (a second run changes nothing).
#
#   contracts.ErrInvalidParameter          -> contracts.InvalidParameterException()
#   contracts.ArnType                      -> contracts.ArnType()
#   contracts.GetUserPoolMfaConfig (var)   -> contracts.OperationByName(contracts.OpGetUserPoolMfaConfig)
#
# Error shapes are renamed to the model's shape name, which is also their
# Code: ErrX -> XException(), except ErrInternalError -> InternalErrorException().
# Model shapes keep their names and gain (). Operation variables go: use
# OperationByName or Operations.
#
# Only Go files tracked by git are touched. In a file that imports contracts
# (under any alias), alias.Name is rewritten. In package contracts itself, an
# unqualified ErrX is rewritten too; an unqualified shape or operation name
# there is left for the compiler to point out (inside the package use the
# unexported variables: arnType, setOperation, ...). Files with a dot import
# of contracts are reported and left alone. Changed files are gofmt'ed.
set -euo pipefail

cd "$(git rev-parse --show-toplevel)"
module=$(awk '$1 == "module" { print $2; exit }' go.mod)
pkg="$module/contracts"

errors=(
	ErrInvalidParameter:InvalidParameterException
	ErrTooManyRequests:TooManyRequestsException
	ErrConcurrentModification:ConcurrentModificationException
	ErrResourceNotFound:ResourceNotFoundException
	ErrInvalidSmsRoleAccessPolicy:InvalidSmsRoleAccessPolicyException
	ErrInvalidSmsRoleTrustRelationship:InvalidSmsRoleTrustRelationshipException
	ErrNotAuthorized:NotAuthorizedException
	ErrFeatureUnavailableInTier:FeatureUnavailableInTierException
	ErrInternalError:InternalErrorException
	ErrSerialization:SerializationException
	ErrUnknownOperation:UnknownOperationException
)
shapes=(
	UserPoolIDType SmsVerificationMessageType ArnType StringType RegionCodeType BooleanType
	EmailMfaMessageType EmailMfaSubjectType UserPoolMfaType RelyingPartyIDType UserVerificationType
	WebAuthnFactorConfigurationType SmsConfigurationType SmsMfaConfigType SoftwareTokenMfaConfigType
	EmailMfaConfigType WebAuthnConfigurationType
	SetUserPoolMfaConfigRequest SetUserPoolMfaConfigResponse
	GetUserPoolMfaConfigRequest GetUserPoolMfaConfigResponse
)
operations=(SetUserPoolMfaConfig GetUserPoolMfaConfig)

# An identifier character; "not followed by (" is [^$id(]|$ since sed has no
# look-ahead.
id='A-Za-z0-9_'

# importAlias FILE prints the name FILE uses for contracts ("" if it does
# not import it).
importAlias() {
	local spec
	spec=$(grep -E "^[[:space:]]*(import[[:space:]]+)?([A-Za-z_.][$id]*[[:space:]]+)?\"$pkg\"" "$1" | head -n 1) || true
	[ -n "$spec" ] || return 0
	spec=${spec#*import}
	spec=${spec%%\"*}
	spec=${spec//[[:space:]]/}
	echo "${spec:-contracts}"
}

changed=()
while IFS= read -r -d '' f; do
	alias=$(importAlias "$f")
	inPackage=
	if [ "$(dirname "$f")" = contracts ] && grep -qE '^package contracts$' "$f"; then
		inPackage=1
	fi
	if [ "$alias" = . ]; then
		echo "rename-shapes: $f dot-imports contracts; rename by hand" >&2
		continue
	fi
	[ -n "$alias" ] || [ -n "$inPackage" ] || continue

	exprs=()
	for pair in "${errors[@]}"; do
		old=${pair%%:*} new=${pair#*:}
		if [ -n "$alias" ]; then
			exprs+=(-e "s/\\b$alias\\.$old\\b/$alias.$new()/g")
		fi
		if [ -n "$inPackage" ]; then
			exprs+=(-e "s/(^|[^.$id])$old\\b/\\1$new()/g")
		fi
	done
	if [ -n "$alias" ]; then
		for s in "${shapes[@]}"; do
			exprs+=(-e "s/\\b$alias\\.$s([^$id(]|\$)/$alias.$s()\\1/g")
		done
		for o in "${operations[@]}"; do
			exprs+=(-e "s/\\b$alias\\.$o([^$id(]|\$)/$alias.OperationByName($alias.Op$o)\\1/g")
		done
	fi

	before=$(cksum <"$f")
	sed -E -i "${exprs[@]}" "$f"
	if [ "$(cksum <"$f")" != "$before" ]; then
		changed+=("$f")
	fi
done < <(git ls-files -z '*.go')

if [ ${#changed[@]} -gt 0 ]; then
	gofmt -w "${changed[@]}"
	printf 'rename-shapes: %s\n' "${changed[@]}"
fi
