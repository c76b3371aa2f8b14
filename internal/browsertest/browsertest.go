// Package browsertest opens the HTML pages mfaconform writes in a real
// headless Chromium, from Go tests, to check what a person sees. A page is
// served from a loopback server that answers its own path only and counts
// every other request (a self-contained page makes none), and the browser
// resolves no other host. Console errors fail the test.
//
// The browser is Debian's chromium-headless-shell (or chromium), found at
// its usual paths or named by MFACONFORM_BROWSER. Without one the tests
// skip, saying why; under CI=true they fail, since CI installs it.
package browsertest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// EnvBrowser names the browser executable, overriding the search.
const EnvBrowser = "MFACONFORM_BROWSER"

// ArtifactsDir is where screenshots are kept, relative to the test's
// package (ignored by git), for a person or CI to look at.
const ArtifactsDir = "testdata/artifacts"

// candidates are the executables tried in order: the real binaries first
// (Debian's /usr/bin entries are shell scripts that start them as a child,
// which chromedp could not stop).
var candidates = []string{
	"/usr/lib/chromium/chromium-headless-shell",
	"/usr/lib/chromium/chrome-headless-shell",
	"chrome-headless-shell",
	"chromium-headless-shell",
	"/usr/lib/chromium/chromium",
	"chromium",
	"google-chrome",
}

// Find returns the browser's executable, or an error saying what to
// install.
func Find() (string, error) {
	if p := os.Getenv(EnvBrowser); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", errors.New(EnvBrowser + "=" + p + ": " + err.Error())
		}
		return found, nil
	}
	for _, c := range candidates {
		if found, err := exec.LookPath(c); err == nil {
			return found, nil
		}
	}
	return "", errors.New("no headless Chromium on this machine (apt-get install chromium-headless-shell, or set " + EnvBrowser + ")")
}

// Page is a page open in its own browser.
type Page struct {
	t   testing.TB
	ctx context.Context
	// URL is where the page is served, on loopback.
	URL string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	others  []string
}

// Open serves the file at path and opens it in a new headless browser,
// which the test's cleanup stops, after failing the test on any console
// error and on any request the page made beyond its own.
func Open(t testing.TB, path string) *Page {
	t.Helper()
	exe, err := Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need a browser under CI: %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	p := &Page{t: t}
	origin := p.serve(path)
	p.start(exe)
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(p.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: "granted", Origin: origin}); err != nil {
			t.Logf("granting %s: %v (the copy check falls back to the page's message)", name, err)
		}
	}
	if err := chromedp.Do(p.timeout(), chromedp.Navigate(p.URL), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("opening %s (%s) in %s: %v", path, p.URL, exe, err)
	}
	return p
}

// serve serves the page at path alone on a loopback server, noting every
// other request the page makes, and returns the server's origin.
func (p *Page) serve(path string) string {
	const self = "/report.html"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != self {
			p.mu.Lock()
			p.others = append(p.others, r.Method+" "+r.URL.String())
			p.mu.Unlock()
			http.NotFound(w, r)
			return
		}
		http.ServeFile(w, r, path)
	}))
	p.t.Cleanup(srv.Close)
	p.URL = srv.URL + self
	return srv.URL
}

// start starts the browser for the test, keeping what its console says.
func (p *Page) start(exe string) {
	t := p.t
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000),
		// Loopback only: every other host name resolves to nothing.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancelAlloc)
	t.Cleanup(cancel)
	p.ctx = ctx

	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	t.Cleanup(p.checkQuiet)
}

// timeout bounds one step; the browser itself lives as long as the test.
func (p *Page) timeout() context.Context {
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	p.t.Cleanup(cancel)
	return ctx
}

// checkQuiet fails the test on console errors and on requests the page
// made for anything but itself.
func (p *Page) checkQuiet() {
	p.t.Helper()
	// Messages arrive asynchronously: let the last ones in.
	time.Sleep(100 * time.Millisecond)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.console {
		switch m.Type {
		case chromedp.ConsoleError, chromedp.ConsoleException:
			p.t.Errorf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
		default:
			p.t.Logf("console %s: %s", m.Type, m.Text)
		}
	}
	for _, o := range p.others {
		p.t.Errorf("the page requested %s: a report loads nothing", o)
	}
}

// Do runs actions on the page, failing the test on an error.
func (p *Page) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.timeout(), actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Click clicks the first element a CSS selector matches, as a mouse does.
func (p *Page) Click(sel string) {
	p.t.Helper()
	p.Do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// Wait waits until a JavaScript condition holds (events such as a
// hashchange run after the click that caused them), failing the test
// after 5 s.
func (p *Page) Wait(what, cond string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.timeout(), chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		p.t.Fatalf("%s: %s did not hold: %v", what, cond, err)
	}
}

// Eval evaluates a JavaScript expression on the page (awaiting a promise)
// and decodes its value.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.timeout(), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// TryEval is Eval returning the error instead of failing the test.
func TryEval[T any](p *Page, expr string) (T, error) {
	return chromedp.Run(p.timeout(), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot keeps a PNG of the whole page under ArtifactsDir, named by
// the test and name, and logs its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	return p.keep(name, chromedp.FullScreenshot(100))
}

// ScreenshotOf is Screenshot of the first element a CSS selector matches.
func (p *Page) ScreenshotOf(sel, name string) string {
	p.t.Helper()
	return p.keep(name, chromedp.Screenshot(chromedp.CSS(sel), chromedp.NodeVisible))
}

func (p *Page) keep(name string, shot chromedp.Action[[]byte]) string {
	p.t.Helper()
	png, err := chromedp.Run(p.timeout(), shot)
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(ArtifactsDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	file := unsafeName.ReplaceAllString(strings.ReplaceAll(p.t.Name(), "/", "-")+"-"+name, "_") + ".png"
	out, err := filepath.Abs(filepath.Join(ArtifactsDir, file))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", out)
	return out
}

// ConsoleErrors returns the console's errors so far.
func (p *Page) ConsoleErrors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, m := range p.console {
		if slices.Contains([]chromedp.ConsoleType{chromedp.ConsoleError, chromedp.ConsoleException}, m.Type) {
			out = append(out, m.String())
		}
	}
	return out
}
