package emulator_test

import (
	"net/http"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

func TestCreateUserPool(t *testing.T) {
	srv, _ := newServer(t)
	const create = contracts.OpCreateUserPool
	namePattern := `Member must satisfy regular expression pattern: [\w\s+=,.@-]+`
	for _, tc := range []struct {
		name, fact, body string
		status           int
		want             string // exact body for errors; "" checks the pool below
		pool             string // for successes: the UserPool without Id, Arn and dates
	}{
		{name: "PoolName missing", fact: "CreateUserPool model: PoolName required", body: `{}`, status: 400,
			want: errJSON(ipe, invalid("<null>", "poolName", notNull))},
		{name: "PoolName with a slash", fact: "UserPoolNameType pattern", body: `{"PoolName":"a/b"}`, status: 400,
			want: errJSON(ipe, invalid("a/b", "poolName", namePattern))},
		{name: "PoolName empty", fact: "UserPoolNameType min 1", body: `{"PoolName":""}`, status: 400,
			want: errJSON(ipe, "2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: "+lenMin(1)+
				"; Value '' at 'poolName' failed to satisfy constraint: "+namePattern)},
		{name: "tier unknown", fact: "UserPoolTierType", body: `{"PoolName":"p","UserPoolTier":"GOLD"}`, status: 400,
			want: errJSON(ipe, invalid("GOLD", "userPoolTier", "Member must satisfy enum value set: [LITE, ESSENTIALS, PLUS]"))},
		{name: "first factor unknown", fact: "AuthFactorType", body: `{"PoolName":"p","Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","TOTP"]}}}`,
			status: 400, want: errJSON(ipe, invalid("[PASSWORD, TOTP]", "policies.signInPolicy.allowedFirstAuthFactors",
				"Member must satisfy constraint: [Member must satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]]"))},
		{name: "first factors not a list", fact: "awsJson1_1", body: `{"PoolName":"p","Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":"PASSWORD"}}}`,
			status: 400, want: errJSON(serEx, "Expected a list at 'policies.signInPolicy.allowedFirstAuthFactors'")},
		{name: "MFA ON without SMS configuration", fact: "M18", body: `{"PoolName":"p","MfaConfiguration":"ON"}`, status: 400,
			want: errJSON(ipe, emulator.MsgMfaNeedsSms)},
		{name: "MFA OPTIONAL without SMS configuration", fact: "M18", body: `{"PoolName":"p","MfaConfiguration":"OPTIONAL"}`, status: 400,
			want: errJSON(ipe, emulator.MsgMfaNeedsSms)},
		{name: "defaults", fact: "CreateUserPool defaults", body: `{"PoolName":"p"}`, status: 200,
			pool: `{"Name":"p","MfaConfiguration":"OFF","UserPoolTier":"ESSENTIALS","EmailConfiguration":{"EmailSendingAccount":"COGNITO_DEFAULT"},
				"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD"]}},"EstimatedNumberOfUsers":0}`},
		{name: "everything set", fact: "UserPoolType", status: 200,
			body: `{"PoolName":"all","UserPoolTier":"LITE","MfaConfiguration":"ON",
				"SmsConfiguration":{"SnsCallerArn":"` + contracts.RoleTrusted + `","ExternalId":"e","SnsRegion":"us-east-1"},
				"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `","From":"a@example.com","ReplyToEmailAddress":"b@example.com","ConfigurationSet":"cs"},
				"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","SMS_OTP"]}},"Unknown":1}`,
			pool: `{"Name":"all","MfaConfiguration":"ON","UserPoolTier":"LITE",
				"SmsConfiguration":{"SnsCallerArn":"` + contracts.RoleTrusted + `","ExternalId":"e","SnsRegion":"us-east-1"},
				"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `","From":"a@example.com","ReplyToEmailAddress":"b@example.com","ConfigurationSet":"cs"},
				"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","SMS_OTP"]}},"EstimatedNumberOfUsers":0}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, srv, http.MethodPost, contracts.Target(create), tc.body)
			if a.status != tc.status {
				t.Fatalf("%s: status %d, want %d: %s", tc.fact, a.status, tc.status, a.body)
			}
			for _, v := range checkWire(a) {
				t.Error(v)
			}
			if tc.want != "" {
				if d := jsonDiff(tc.want, a.body); d != "" {
					t.Errorf("%s (-want +got):\n%s", tc.fact, d)
				}
				return
			}
			out := call(t, srv, create, tc.body)
			up := out["UserPool"].(map[string]any)
			id, _ := up["Id"].(string)
			if up["Arn"] != "arn:aws:cognito-idp:us-east-1:123456789012:userpool/"+id {
				t.Errorf("Arn %v for pool %s", up["Arn"], id)
			}
			if up["CreationDate"] != float64(epoch.Unix()) || up["LastModifiedDate"] != float64(epoch.Unix()) {
				t.Errorf("dates %v %v, want %d", up["CreationDate"], up["LastModifiedDate"], epoch.Unix())
			}
			delete(up, "Id")
			delete(up, "Arn")
			delete(up, "CreationDate")
			delete(up, "LastModifiedDate")
			b, _ := jsonMarshal(up)
			if d := jsonDiff(tc.pool, b); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.fact, d)
			}
		})
	}
}

func TestSeedRepeatsPoolIDs(t *testing.T) {
	ids := func(seed int64) []string {
		srv, _ := newServer(t, emulator.WithSeed(seed))
		return []string{createPool(t, srv, `{"PoolName":"a"}`), createPool(t, srv, `{"PoolName":"b"}`)}
	}
	a, b, c := ids(7), ids(7), ids(8)
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("seed 7 gave %v then %v", a, b)
	}
	if a[0] == c[0] {
		t.Errorf("seeds 7 and 8 both gave %s", a[0])
	}
	if a[0] == a[1] {
		t.Errorf("two pools with ID %s", a[0])
	}
}

func TestWorldPoolsAndRegion(t *testing.T) {
	w := contracts.DefaultWorld()
	w.Region = "eu-west-3"
	w.Pools = []contracts.Pool{{ID: "eu-west-3_World1", Tier: contracts.TierLite}}
	em := emulator.New(emulator.WithWorld(w))
	srv := newHTTPServer(t, em)
	if p, ok := em.Pool("eu-west-3_World1"); !ok || p.Tier != contracts.TierLite {
		t.Errorf("world pool: %+v, %v", p, ok)
	}
	a := post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), `{"UserPoolId":"eu-west-3_World1"}`)
	if d := jsonDiff(`{"MfaConfiguration":"OFF"}`, a.body); a.status != 200 || d != "" {
		t.Errorf("Get on a world pool: %d (-want +got):\n%s", a.status, d)
	}
	id := createPool(t, srv, `{"PoolName":"p"}`)
	if len(id) != len("eu-west-3_")+9 || id[:10] != "eu-west-3_" {
		t.Errorf("pool ID %s is not in the world's region", id)
	}
}
