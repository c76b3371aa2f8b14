package htmlpage

// css styles every page. Statuses carry a word and a mark as well as a
// colour; a differing member is marked with ≠ as well as a background.
const css = `
:root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bg: #fff; --soft: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #57606a; --mark: #fff1a8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { padding: 1.2rem 1.6rem 4rem; max-width: 110rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: .95rem; margin: 0 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .85rem; }
a { color: #0550ae; }
.note { color: var(--muted); margin: .2rem 0; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .8rem 0 1rem; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
.verdict { font-weight: 700; }
.verdict-fail { color: var(--fail); }
.verdict-pass { color: var(--pass); }
.status { display: inline-block; min-width: 4.2em; padding: 0 .4em; border-radius: .3em; font-weight: 600;
  white-space: nowrap; border: 1px solid currentColor; font-size: .85rem; }
.status-pass, .status-same { color: var(--pass); }
.status-fail, .status-error, .status-differ { color: var(--fail); background: #ffebe9; }
.status-warn { color: var(--warn); background: #fff8c5; }
.status-skip { color: var(--skip); }
.badge { display: inline-block; padding: 0 .4em; border-radius: .3em; font-size: .8rem; border: 1px solid var(--line);
  background: var(--soft); white-space: nowrap; }
.badge-expired { border-color: var(--fail); color: var(--fail); }
.toolbar { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: .6rem 0; }
.toolbar .label { color: var(--muted); margin-right: .2rem; }
button { font: inherit; font-size: .85rem; padding: .15rem .6rem; border: 1px solid var(--line); border-radius: .3rem;
  background: var(--soft); color: var(--fg); cursor: pointer; }
button[aria-pressed="true"] { background: var(--fg); color: var(--bg); border-color: var(--fg); }
button:focus-visible, summary:focus-visible, a:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
.needs-js { display: none; }
.js .needs-js { display: inline-block; }
.js .toolbar.needs-js { display: flex; }
table { border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rules td:first-child, table.parity th[scope="row"] { white-space: nowrap; }
table.parity td { text-align: center; }
table.parity td a { text-decoration: none; }
table.parity td a::after { content: " ↓"; color: var(--muted); }
table.parity tfoot th, table.parity tfoot td { background: var(--soft); font-weight: 600; }
[hidden] { display: none !important; }
details.rule { border: 1px solid var(--line); border-radius: .4rem; margin: .6rem 0; padding: 0 .8rem; }
details.rule > summary { padding: .5rem 0; cursor: pointer; }
details.rule[open] > summary { border-bottom: 1px solid var(--line); margin-bottom: .6rem; }
details.deviation { border-left: 3px solid var(--line); margin: .6rem 0 .8rem; padding: 0 0 0 .8rem; }
details.deviation > summary { cursor: pointer; padding: .2rem 0; }
details.deviation[open] { border-left-color: var(--fail); }
.sig { font-weight: 600; word-break: break-all; }
.detail { color: var(--muted); display: block; margin-left: 1.2rem; }
.contract { background: var(--soft); padding: .4rem .6rem; border-radius: .3rem; }
.sides { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: .8rem; margin: .6rem 0; }
@media (max-width: 60rem) { .sides { grid-template-columns: minmax(0, 1fr); } }
.side { border: 1px solid var(--line); border-radius: .3rem; padding: .5rem .6rem; min-width: 0; }
.side h3 { color: var(--muted); text-transform: uppercase; letter-spacing: .04em; font-size: .75rem; }
.side p { margin: .2rem 0; }
pre.json { margin: .3rem 0 0; padding: .4rem; background: var(--soft); border-radius: .3rem; white-space: pre-wrap;
  word-break: break-all; }
pre.json span { display: block; }
.differs, pre.json span.differs { background: var(--mark); }
.gutter { color: var(--fail); font-weight: 700; }
table.diffs td { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.repro { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.repro code { background: var(--soft); padding: .1rem .3rem; border-radius: .2rem; word-break: break-all; }
.announce { position: fixed; bottom: .6rem; right: .6rem; max-width: 40rem; background: var(--fg); color: var(--bg);
  padding: .3rem .7rem; border-radius: .3rem; font-size: .85rem; pointer-events: none; }
.announce:empty { display: none; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
`

// script wires the controls: the status filter, opening or closing every
// section, the copy buttons (to the clipboard, else the command selected
// for the reader to copy), and a link to a section opening it and the
// sections around it. The page reads completely without it (every section
// opens to a click, nothing is hidden). It holds no comments: html/template
// drops them, and the page's CSP hashes the script as written.
const script = `
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var announce = document.getElementById("announce");
  var quiet = 0;
  function say(text) {
    announce.textContent = text;
    clearTimeout(quiet);
    quiet = setTimeout(function () { announce.textContent = ""; }, 6000);
  }

  var filters = document.querySelectorAll("button[data-filter]");
  function filter(want) {
    filters.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === want)); });
    document.querySelectorAll("[data-row-status]").forEach(function (el) {
      el.hidden = want !== "all" && el.getAttribute("data-row-status") !== want;
    });
  }
  filters.forEach(function (b) {
    b.addEventListener("click", function () { filter(b.getAttribute("data-filter")); });
  });

  document.querySelectorAll("button[data-expand]").forEach(function (b) {
    b.addEventListener("click", function () {
      var open = b.getAttribute("data-expand") === "open";
      document.querySelectorAll("details.rule, details.deviation").forEach(function (d) { d.open = open; });
    });
  });

  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  function fallback(el) {
    select(el);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    b.addEventListener("click", function () {
      var src = document.getElementById(b.getAttribute("data-copy"));
      if (!src) { return; }
      var text = src.textContent;
      function done(ok) {
        b.textContent = ok ? "Copied" : "Copy";
        say(ok ? "Copied to the clipboard: " + text : "Selected; press Ctrl+C to copy: " + text);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback(src)); });
      } else {
        done(fallback(src));
      }
    });
  });

  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (!el) { return; }
    if (el.closest("[hidden]")) { filter("all"); }
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
`
