package contracts_test

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// botocoreModel is the part of a botocore service-2.json the drift tests read.
type botocoreModel struct {
	Metadata   map[string]any               `json:"metadata"`
	Operations map[string]botocoreOperation `json:"operations"`
	Shapes     map[string]botocoreShape     `json:"shapes"`
	Dir        string                       `json:"-"`
	Version    string                       `json:"-"`
	Path       string                       `json:"-"`
}

type botocoreOperation struct {
	Input  struct{ Shape string }   `json:"input"`
	Output struct{ Shape string }   `json:"output"`
	Errors []struct{ Shape string } `json:"errors"`
}

type botocoreShape struct {
	Type      string                    `json:"type"`
	Min       *int                      `json:"min"`
	Max       *int                      `json:"max"`
	Pattern   *string                   `json:"pattern"`
	Enum      []string                  `json:"enum"`
	Required  []string                  `json:"required"`
	Members   map[string]botocoreMember `json:"members"`
	Exception bool                      `json:"exception"`
	Fault     bool                      `json:"fault"`
	// memberOrder is the order of Members in the file.
	memberOrder []string
}

type botocoreMember struct {
	Shape string `json:"shape"`
}

// UnmarshalJSON keeps the member order of the file, which encoding/json's
// maps lose.
func (s *botocoreShape) UnmarshalJSON(b []byte) error {
	type plain botocoreShape
	if err := json.Unmarshal(b, (*plain)(s)); err != nil {
		return err
	}
	var raw struct {
		Members json.RawMessage `json:"members"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if len(raw.Members) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw.Members)))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		s.memberOrder = append(s.memberOrder, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

const modelFile = "data/cognito-idp/2016-04-18/service-2.json.gz"

// botocoreDir finds the botocore package directory: MFACONFORM_BOTOCORE_DIR,
// else the one python3 imports.
func botocoreDir() (string, error) {
	if d := os.Getenv("MFACONFORM_BOTOCORE_DIR"); d != "" {
		return d, nil
	}
	out, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return "", fmt.Errorf("python3 cannot import botocore (set MFACONFORM_BOTOCORE_DIR): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

var versionRE = regexp.MustCompile(`(?m)^__version__\s*=\s*['"]([^'"]+)['"]`)

// loadModel reads the cognito-idp model of the botocore on this machine. It
// fails the test in CI (CI=true) and skips it elsewhere when botocore is
// missing, and logs which model it checks.
func loadModel(t *testing.T) *botocoreModel {
	t.Helper()
	m, err := readModel()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("botocore model unavailable in CI: %v", err)
		}
		t.Skipf("botocore model unavailable, drift not checked: %v", err)
	}
	t.Logf("checking botocore %s model %s against contract %q", m.Version, m.Path, contracts.Revision)
	return m
}

func readModel() (*botocoreModel, error) {
	dir, err := botocoreDir()
	if err != nil {
		return nil, err
	}
	init, err := os.ReadFile(filepath.Join(dir, "__init__.py"))
	if err != nil {
		return nil, err
	}
	ver := "unknown"
	if m := versionRE.FindSubmatch(init); m != nil {
		ver = string(m[1])
	}
	p := filepath.Join(dir, modelFile)
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var m botocoreModel
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	m.Dir, m.Version, m.Path = dir, ver, p
	return &m, nil
}

// shapeDrift compares a contract shape with the model shape of the same
// name, recursively, and returns one error per difference.
func shapeDrift(m *botocoreModel, c *contracts.Shape, name string, seen map[string]bool) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Name != name {
		add("%s: contract shape is named %s", name, c.Name)
	}
	if seen[name] {
		return errs
	}
	seen[name] = true
	s, ok := m.Shapes[name]
	if !ok {
		add("%s: in contract, not in model", name)
		return errs
	}
	if string(c.Type) != s.Type {
		add("%s.type: contract %s, model %s", name, c.Type, s.Type)
	}
	cmpBound := func(what string, c, b *int) {
		switch {
		case c == nil && b == nil:
		case c == nil:
			add("%s.%s: contract none, model %d", name, what, *b)
		case b == nil:
			add("%s.%s: contract %d, model none", name, what, *c)
		case *c != *b:
			add("%s.%s: contract %d, model %d", name, what, *c, *b)
		}
	}
	cmpBound("min", c.Min, s.Min)
	cmpBound("max", c.Max, s.Max)
	modelPattern := ""
	if s.Pattern != nil {
		modelPattern = *s.Pattern
	}
	if c.Pattern != modelPattern {
		add("%s.pattern: contract %q, model %q", name, c.Pattern, modelPattern)
	}
	if !slices.Equal(c.Enum, s.Enum) {
		add("%s.enum: contract %q, model %q", name, c.Enum, s.Enum)
	}
	var cMembers, cRequired []string
	for _, mem := range c.Members {
		cMembers = append(cMembers, mem.Name)
		if mem.Required {
			cRequired = append(cRequired, mem.Name)
		}
	}
	for _, n := range s.memberOrder {
		if !slices.Contains(cMembers, n) {
			add("%s.%s: in model, not in contract", name, n)
		}
	}
	for _, n := range cMembers {
		if _, ok := s.Members[n]; !ok {
			add("%s.%s: in contract, not in model", name, n)
		}
	}
	if slices.Equal(slices.Sorted(slices.Values(cMembers)), slices.Sorted(slices.Values(s.memberOrder))) &&
		!slices.Equal(cMembers, s.memberOrder) {
		add("%s.members order: contract %q, model %q", name, cMembers, s.memberOrder)
	}
	if a, b := slices.Sorted(slices.Values(cRequired)), slices.Sorted(slices.Values(s.Required)); !slices.Equal(a, b) {
		add("%s.required: contract %q, model %q", name, a, b)
	}
	for _, mem := range c.Members {
		bm, ok := s.Members[mem.Name]
		if !ok {
			continue
		}
		errs = append(errs, shapeDrift(m, mem.Shape, bm.Shape, seen)...)
	}
	return errs
}

func operationDrift(m *botocoreModel, op *contracts.Operation) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	bo, ok := m.Operations[op.Name]
	if !ok {
		return []error{fmt.Errorf("%s: in contract, not in model", op.Name)}
	}
	seen := map[string]bool{}
	if op.Input.Name != bo.Input.Shape {
		add("%s.input: contract %s, model %s", op.Name, op.Input.Name, bo.Input.Shape)
	}
	if op.Output.Name != bo.Output.Shape {
		add("%s.output: contract %s, model %s", op.Name, op.Output.Name, bo.Output.Shape)
	}
	errs = append(errs, shapeDrift(m, op.Input, bo.Input.Shape, seen)...)
	errs = append(errs, shapeDrift(m, op.Output, bo.Output.Shape, seen)...)

	var cErrs, bErrs []string
	for _, e := range op.Errors {
		cErrs = append(cErrs, e.Code)
	}
	for _, e := range bo.Errors {
		bErrs = append(bErrs, e.Shape)
	}
	for _, code := range bErrs {
		if !slices.Contains(cErrs, code) {
			add("%s.errors: %s in model, not in contract", op.Name, code)
		}
	}
	for _, code := range cErrs {
		if !slices.Contains(bErrs, code) {
			add("%s.errors: %s in contract, not in model", op.Name, code)
		}
	}
	if !slices.Equal(cErrs, bErrs) {
		add("%s.errors order: contract %s, model %s", op.Name, strings.Join(cErrs, ","), strings.Join(bErrs, ","))
	}
	for _, e := range op.Errors {
		s, ok := m.Shapes[e.Code]
		if !ok {
			continue
		}
		if !s.Exception {
			add("%s.exception: model flag is false", e.Code)
		}
		if got, want := e.Fault == contracts.FaultServer, s.Fault; got != want {
			add("%s.fault: contract %s, model fault=%t", e.Code, e.Fault, want)
		}
		want := append([]string{"message"}, e.Members...)
		if a, b := slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(s.memberOrder)); !slices.Equal(a, b) {
			add("%s.members: contract %q, model %q", e.Code, a, b)
		}
	}
	return errs
}

func metadataDrift(m *botocoreModel) []error {
	var errs []error
	for _, c := range []struct{ key, want string }{
		{"protocol", "json"},
		{"jsonVersion", "1.1"},
		{"targetPrefix", contracts.TargetPrefix},
		{"endpointPrefix", contracts.ServiceID},
		{"apiVersion", contracts.APIVersion},
	} {
		if got := fmt.Sprint(m.Metadata[c.key]); got != c.want {
			errs = append(errs, fmt.Errorf("metadata.%s: contract %s, model %s", c.key, c.want, got))
		}
	}
	// The content type follows from jsonVersion (awsJson1_1).
	if want := "application/x-amz-json-" + fmt.Sprint(m.Metadata["jsonVersion"]); contracts.ContentType != want {
		errs = append(errs, fmt.Errorf("ContentType: contract %s, model implies %s", contracts.ContentType, want))
	}
	return errs
}

func TestModelDriftShapes(t *testing.T) {
	m := loadModel(t)
	for _, op := range contracts.Operations() {
		t.Run(op.Name, func(t *testing.T) {
			var errs []error
			bo := m.Operations[op.Name]
			seen := map[string]bool{}
			errs = append(errs, shapeDrift(m, op.Input, bo.Input.Shape, seen)...)
			errs = append(errs, shapeDrift(m, op.Output, bo.Output.Shape, seen)...)
			if err := errors.Join(errs...); err != nil {
				t.Errorf("contract differs from botocore %s (%s):\n%v", m.Version, m.Path, err)
			}
		})
	}
}

func TestModelDriftOperations(t *testing.T) {
	m := loadModel(t)
	for _, op := range contracts.Operations() {
		t.Run(op.Name, func(t *testing.T) {
			if err := errors.Join(operationDrift(m, op)...); err != nil {
				t.Errorf("contract differs from botocore %s (%s):\n%v", m.Version, m.Path, err)
			}
		})
	}
}

func TestModelDriftMetadata(t *testing.T) {
	m := loadModel(t)
	if err := errors.Join(metadataDrift(m)...); err != nil {
		t.Errorf("contract differs from botocore %s (%s):\n%v", m.Version, m.Path, err)
	}
}

// TestModelDriftDetects runs the drift check on a deliberately broken copy
// of a contract shape, so that a silent checker cannot pass for a clean one.
func TestModelDriftDetects(t *testing.T) {
	m := loadModel(t)
	broken := *contracts.SmsVerificationMessageType()
	broken.Max = new(int)
	*broken.Max = *contracts.SmsVerificationMessageType().Max + 1
	broken.Enum = []string{"X"}
	errs := shapeDrift(m, &broken, "SmsVerificationMessageType", map[string]bool{})
	got := errors.Join(errs...).Error()
	for _, want := range []string{
		fmt.Sprintf("SmsVerificationMessageType.max: contract %d, model %d", *broken.Max, *contracts.SmsVerificationMessageType().Max),
		`SmsVerificationMessageType.enum: contract ["X"], model []`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("drift report lacks %q; got:\n%s", want, got)
		}
	}
	op := *contracts.OperationByName(contracts.OpGetUserPoolMfaConfig)
	op.Errors = append([]*contracts.ErrorShape{contracts.ResourceNotFoundException(), contracts.ConcurrentModificationException()}, op.Errors[:2]...)
	got = errors.Join(operationDrift(m, &op)...).Error()
	for _, want := range []string{
		"GetUserPoolMfaConfig.errors: ConcurrentModificationException in contract, not in model",
		"GetUserPoolMfaConfig.errors: NotAuthorizedException in model, not in contract",
		"GetUserPoolMfaConfig.errors order:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("drift report lacks %q; got:\n%s", want, got)
		}
	}
}
