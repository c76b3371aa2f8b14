package contracts_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

// contractDoc is the page every rule's Source cites, from this package's folder.
const contractDoc = "../docs/contract.md"

var (
	anchorRE = regexp.MustCompile(`<a id="([^"]+)"></a>`)
	// A citation names sections (§3, §3.1, "§7 item 8") and numbered facts
	// (M3, W4, U1; a range M9–M14 names its two ends).
	sectionRE = regexp.MustCompile(`§(\d+(?:\.\d+)?)(?: item (\d+))?`)
	factRE    = regexp.MustCompile(`\b([MWU])(\d+)\b`)
)

// contractAnchors reads the anchors of docs/contract.md.
func contractAnchors(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(contractDoc)
	if err != nil {
		t.Fatalf("the contract the rules cite: %v", err)
	}
	anchors := map[string]bool{}
	for _, m := range anchorRE.FindAllStringSubmatch(string(b), -1) {
		if anchors[m[1]] {
			t.Errorf("%s: anchor %q twice", contractDoc, m[1])
		}
		anchors[m[1]] = true
	}
	return anchors
}

// citedAnchors returns the anchors of docs/contract.md a citation points
// to: "§3.1 M3, §3.2 (cdkd#1923)" gives s3.1, m3, s3.2.
func citedAnchors(citation string) []string {
	var out []string
	for _, m := range sectionRE.FindAllStringSubmatch(citation, -1) {
		id := "s" + m[1]
		if m[2] != "" {
			id += "-item-" + m[2]
		}
		out = append(out, id)
	}
	for _, m := range factRE.FindAllStringSubmatch(citation, -1) {
		out = append(out, strings.ToLower(m[1])+m[2])
	}
	return out
}

func TestCitedAnchors(t *testing.T) {
	for _, tc := range []struct {
		name, citation string
		want           []string
	}{
		{"section and fact", "§3.1 M3, §3.2 (cdkd#1923, floci PR #2831)", []string{"s3.1", "s3.2", "m3"}},
		{"item of a section", "§1.3 SmsVerificationMessageType pattern; §7 item 7", []string{"s1.3", "s7-item-7"}},
		{"range names both ends", "§3.1 M9–M14, §6", []string{"s3.1", "s6", "m9", "m14"}},
		{"writers", "W4, U1", []string{"w4", "u1"}},
		{"no reference", "the rule rests on", nil},
	} {
		got := citedAnchors(tc.citation)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: citedAnchors(%q) = %q, want %q", tc.name, tc.citation, got, tc.want)
		}
	}
}

// TestContractCitations checks that every rule's Source points into
// docs/contract.md: it starts with "contract.md", names at least one
// section or numbered fact, and each exists on the page.
func TestContractCitations(t *testing.T) {
	anchors := contractAnchors(t)
	for _, r := range c.Rules() {
		rest, ok := strings.CutPrefix(r.Source, "contract.md ")
		if !ok {
			t.Errorf("%s: Source %q does not cite contract.md", r.ID, r.Source)
			continue
		}
		cited := citedAnchors(rest)
		if len(cited) == 0 {
			t.Errorf("%s: Source %q names no section (§N.N) or fact (M1, W1, U1) of %s", r.ID, r.Source, contractDoc)
		}
		for _, a := range cited {
			if !anchors[a] {
				t.Errorf("%s: Source %q cites #%s, which %s does not have", r.ID, r.Source, a, contractDoc)
			}
		}
	}
}

// TestContractCitationsElsewhere checks the citations of comments, the
// README, docs/ and the published reports: the text after "contract.md" up
// to the end of its line or the closing parenthesis.
func TestContractCitationsElsewhere(t *testing.T) {
	anchors := contractAnchors(t)
	citeRE := regexp.MustCompile(`contract\.md([^)\n]*)`)
	root := ".."
	checked := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".cache", "node_modules", "testdata", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		if (ext != ".go" && ext != ".md" && ext != ".html") || filepath.Clean(p) == filepath.Clean(contractDoc) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range citeRE.FindAllStringSubmatch(string(b), -1) {
			for _, a := range citedAnchors(m[1]) {
				checked++
				if !anchors[a] {
					t.Errorf("%s: %q cites #%s, which %s does not have", p, "contract.md"+m[1], a, contractDoc)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("found no citation of contract.md to check")
	}
}
