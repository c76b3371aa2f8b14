package contracts

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ConstraintKind names the kind of model constraint a violation breaks.
type ConstraintKind string

// Constraint kinds, as used in rule IDs.
const (
	KindRequired ConstraintKind = "required"
	KindLength   ConstraintKind = "length"
	KindPattern  ConstraintKind = "pattern"
	KindEnum     ConstraintKind = "enum"
)

// Violation is one failed model constraint, as Coral reports it:
// "Value '<v>' at '<path>' failed to satisfy constraint: <Constraint>".
type Violation struct {
	// Member is the model path in member names, e.g.
	// "SmsMfaConfiguration.SmsAuthenticationMessage".
	Member string
	// Path is the same path in lowerCamel dotted form, as AWS prints it.
	Path string
	// Value is the offending value; nil means null (a missing required member).
	Value      *string
	Kind       ConstraintKind
	Constraint string
	// Uncertain is set when whether the value violates the constraint
	// depends on an unconfirmed detail (line terminators in ".", length
	// counted in UTF-16 units or code points).
	Uncertain bool
}

// Item renders the violation as one item of the validation message.
func (v Violation) Item() string {
	val := "null"
	if v.Value != nil {
		val = "'" + *v.Value + "'"
	}
	return fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", val, v.Path, v.Constraint)
}

// ValidationMessage renders violations as real AWS does (contract.md §3.1
// M9–M14): "N validation error(s) detected: item; item".
func ValidationMessage(vs []Violation) string {
	items := make([]string, len(vs))
	for i, v := range vs {
		items[i] = v.Item()
	}
	noun := "errors"
	if len(vs) == 1 {
		noun = "error"
	}
	return fmt.Sprintf("%d validation %s detected: %s", len(vs), noun, strings.Join(items, "; "))
}

// enumPhrase is the constraint phrase of an enum. AWS prints the set in the
// order of a Java hash set, not model order (M9 shows [OPTIONAL, OFF, ON]);
// that order is known for UserPoolMfaType only, and the others use model order.
func enumPhrase(s *Shape) string {
	values := s.Enum
	if s == userPoolMfaType {
		values = []string{"OPTIONAL", "OFF", "ON"}
	}
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

// Validate checks a decoded JSON value (as produced by DecodeValue: maps,
// strings, bools) against a structure shape and returns every violation,
// in a stable order (members in model order, depth first).
func Validate(shape *Shape, value map[string]any) []Violation {
	var out []Violation
	validateStruct(shape, value, "", "", &out)
	return out
}

func validateStruct(shape *Shape, value map[string]any, member, path string, out *[]Violation) {
	for _, m := range shape.Members {
		v, present := value[m.Name]
		if !present || v == nil {
			if m.Required {
				*out = append(*out, Violation{Member: join(member, m.Name), Path: join(path, lowerCamel(m.Name)),
					Kind: KindRequired, Constraint: "Member must not be null"})
			}
			continue
		}
		switch m.Shape.Type {
		case TypeStructure:
			if sub, ok := v.(map[string]any); ok {
				validateStruct(m.Shape, sub, join(member, m.Name), join(path, lowerCamel(m.Name)), out)
			}
		case TypeString:
			if s, ok := v.(string); ok {
				validateString(m.Shape, s, member, path, m.Name, out)
			}
		}
	}
}

// validateString checks one string member, named name below the member
// and path prefixes; the names are joined only for a violation.
func validateString(s *Shape, v, member, path, name string, out *[]Violation) {
	add := func(kind ConstraintKind, constraint string, uncertain bool) {
		val := v
		*out = append(*out, Violation{Member: join(member, name), Path: join(path, lowerCamel(name)), Value: &val,
			Kind: kind, Constraint: constraint, Uncertain: uncertain})
	}
	if s.Min != nil || s.Max != nil {
		points, units := lengths(v)
		if s.Min != nil {
			a, b := points < *s.Min, units < *s.Min
			if a || b {
				add(KindLength, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min), a != b)
			}
		}
		if s.Max != nil {
			a, b := points > *s.Max, units > *s.Max
			if a || b {
				add(KindLength, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max), a != b)
			}
		}
	}
	if s.Pattern != "" {
		switch CompilePattern(s.Pattern).Match(v) {
		case NoMatch:
			add(KindPattern, "Member must satisfy regular expression pattern: "+s.Pattern, false)
		case Uncertain:
			add(KindPattern, "Member must satisfy regular expression pattern: "+s.Pattern, true)
		}
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		add(KindEnum, enumPhrase(s), false)
	}
}

// lengths counts a string in code points and in UTF-16 code units (a
// point above U+FFFF is two units), as Go's utf16.Encode([]rune(v)) would,
// without building either.
func lengths(v string) (points, units int) {
	for _, r := range v {
		points++
		units++
		if r > 0xFFFF {
			units++
		}
	}
	return points, units
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func lowerCamel(name string) string {
	if name == "" {
		return name
	}
	return strings.ToLower(name[:1]) + name[1:]
}

// memberPaths lists every member path of a structure shape, recursively,
// in sorted order: the checklist for drift tests and generators.
func memberPaths(s *Shape) []string {
	var out []string
	var walk func(*Shape, string)
	walk = func(s *Shape, prefix string) {
		for _, m := range s.Members {
			p := join(prefix, m.Name)
			out = append(out, p)
			if m.Shape.Type == TypeStructure {
				walk(m.Shape, p)
			}
		}
	}
	walk(s, "")
	sort.Strings(out)
	return out
}

// ShapeAt returns the member at a dotted member path below s, or nil.
func ShapeAt(s *Shape, path string) *Member {
	var m *Member
	for _, name := range strings.Split(path, ".") {
		if s == nil {
			return nil
		}
		m = s.Member(name)
		if m == nil {
			return nil
		}
		s = m.Shape
	}
	return m
}
