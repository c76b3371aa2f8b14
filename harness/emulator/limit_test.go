package emulator_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

func TestBodyLimit(t *testing.T) {
	srv, _ := newServer(t, emulator.WithMaxBody(1024))
	id := createPool(t, srv, fixtures["essentials"])
	big := `{"UserPoolId":"` + id + `","Padding":"` + strings.Repeat("x", 4096) + `"}`
	wantErr := errJSON(emulator.CodeRequestTooLarge, "Request body is larger than the limit of 1024 bytes")

	t.Run("with Content-Length", func(t *testing.T) {
		a := post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), big)
		checkTooLarge(t, a, wantErr)
	})
	t.Run("chunked", func(t *testing.T) {
		// An io.Reader of unknown length makes the client send it chunked,
		// so only the MaxBytesReader can stop it.
		req, err := http.NewRequest(http.MethodPost, srv.URL, io.MultiReader(strings.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpGetUserPoolMfaConfig))
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if req.ContentLength != 0 {
			t.Fatalf("request was not chunked (ContentLength %d)", req.ContentLength)
		}
		b, _ := io.ReadAll(resp.Body)
		checkTooLarge(t, answer{status: resp.StatusCode, header: resp.Header, body: b}, wantErr)
	})
	t.Run("server keeps working", func(t *testing.T) {
		a := post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), `{"UserPoolId":"`+id+`"}`)
		if a.status != http.StatusOK {
			t.Fatalf("status %d %s", a.status, a.body)
		}
		if d := jsonDiff(`{"MfaConfiguration":"OFF"}`, a.body); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
	t.Run("at the limit", func(t *testing.T) {
		body := `{"UserPoolId":"` + id + `"}`
		body += strings.Repeat(" ", 1024-len(body))
		a := post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), body)
		if a.status != http.StatusOK || !bytes.Contains(a.body, []byte("OFF")) {
			t.Fatalf("a body of exactly the limit: status %d %s", a.status, a.body)
		}
	})
}

func checkTooLarge(t *testing.T, a answer, want string) {
	t.Helper()
	if a.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", a.status)
	}
	if d := jsonDiff(want, a.body); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, v := range checkWire(a) {
		t.Error(v)
	}
}

func TestWithMaxBodyRejectsZero(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("New(WithMaxBody(0)) did not panic")
		}
	}()
	emulator.New(emulator.WithMaxBody(0))
}
