"""A single self-contained HTML page for a reviewer: a summary (severity × language × kind), the renderings side by
side, aligned paragraph by paragraph, with the flagged spans highlighted, and a findings table.

- Sentence alignment: every sentence carries its sentence group (`data-sg`); hovering one lights its counterparts in
  the other columns.
- A truncation or entity finding names the full form other renderings have (`evidence.expected`, `found_in`): that
  word is marked in the aligned counterpart sentences (`<mark class="echo">`) and in the evidence.
- Evidence opens in one pop-up panel of bounded size that wraps and scrolls, whatever the number of languages.
- `n` / `p` (and the buttons) step through the findings; the findings table sorts by any column.
- The counts on the filter controls and in the summary come from the same tally, so they agree.

Nothing is loaded from the network and nothing depends on a clock, so the same run gives the same bytes. Every piece
of document text goes through `e()`; the script carries no data and works only from data-* attributes, so there is
nothing for document text to break out of. Without JavaScript the page stays readable and shows no control that does
nothing: the filter and navigation bar is `hidden` until the script shows it, the sort buttons are made by the
script, highlights are plain links to their row in the table, where the evidence unfolds (`<details>`)."""
from __future__ import annotations

import json
import re
from collections import Counter
from html import escape
from typing import Any, Iterable

from consistency import __version__
from consistency.model import Corpus, Finding, Paragraph, Result, Sentence, Severity
from consistency.report.common import at_least, excerpt, location

SEVERITIES = [s.value for s in Severity]

CSS = """
:root{--fg:#1d2330;--muted:#6b7280;--bg:#fff;--panel:#f6f7f9;--line:#e3e6eb;--accent:#3557c4;
--error:#c62828;--error-bg:#fde4e2;--warning:#b26a00;--warning-bg:#fff1c7;--info:#2d6bc4;--info-bg:#e2edfb;
--al:#e6ecff;--echo:#d9f2e3;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--muted:#9aa3b2;--bg:#15181e;--panel:#1e232b;--line:#303743;
--accent:#8fa8ff;--error:#ff8a80;--error-bg:#4a1f1f;--warning:#ffc861;--warning-bg:#45371a;
--info:#8cb8ff;--info-bg:#1d3150;--al:#252f47;--echo:#1f4030}}
[hidden]{display:none!important}
body{margin:0 auto;max-width:1600px;padding:1.5rem 2rem 4rem;line-height:1.5;font-size:15px}
body.popped{padding-bottom:48vh}
h1{font-size:1.5rem;margin:0}h2{font-size:1.3rem;margin:2rem 0 .3rem}h3{font-size:1.05rem;margin:1.8rem 0 .6rem}
a{color:var(--accent)}code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.muted,.sub{color:var(--muted)}.sub{font-size:.85rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .6rem}
.meta td,.meta th,.list td,.list th,.matrix td,.matrix th{border-bottom:1px solid var(--line)}
.meta,.matrix{width:auto}.matrix th{font-weight:600}.matrix tfoot th,.matrix tfoot td{border-top:2px solid var(--line)}
.wide{overflow-x:auto;max-width:100%}.matrix td{white-space:nowrap}
.where{white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{background:var(--panel);border-radius:8px;padding:.5rem .9rem;min-width:6rem;border-top:3px solid var(--line)}
.card b{display:block;font-size:1.4rem}.card.sev-error{border-color:var(--error)}
.card.sev-warning{border-color:var(--warning)}.card.sev-info{border-color:var(--info)}
.card.below{opacity:.6;border-top-style:dashed}
.n{display:inline-block;min-width:1.4em;text-align:center;border-radius:99px;padding:0 .35rem;margin-left:.2rem;
font-size:.8rem;border:1px solid}
.n.sev-error{background:var(--error-bg)}.n.sev-warning{background:var(--warning-bg)}
.n.sev-info{background:var(--info-bg)}
.t{margin-left:.4rem}
.bar{position:sticky;top:0;z-index:3;background:var(--bg);border-bottom:1px solid var(--line);padding:.5rem 0;
display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center;font-size:.85rem}
.filters{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
.filters legend{float:left;color:var(--muted);margin-right:.3rem}
.filters label{background:var(--panel);border-radius:99px;padding:.1rem .6rem;cursor:pointer;user-select:none}
.filters input{margin:0 .3rem 0 0;vertical-align:-1px}
.nav{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}.nav button{white-space:nowrap}
button{font:inherit;color:inherit;background:var(--panel);border:1px solid var(--line);border-radius:6px;
padding:.1rem .6rem;cursor:pointer}
kbd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8em;border:1px solid var(--line);
border-radius:3px;padding:0 .25rem}
.grid{table-layout:fixed;border:1px solid var(--line)}
.grid th{position:sticky;top:var(--top,0);z-index:2;background:var(--panel);border-bottom:2px solid var(--line)}
.grid td{border-top:1px solid var(--line);border-left:1px solid var(--line);overflow-wrap:anywhere}
.grid th.g,.grid td.g{width:3.2rem;text-align:center;color:var(--muted);font-size:.8rem;border-left:0}
.lang{font-weight:700;font-size:1rem;text-transform:uppercase;letter-spacing:.04em}
tr.gap td.g{box-shadow:inset 4px 0 var(--warning);color:var(--warning);font-weight:600}
td.none{background:repeating-linear-gradient(135deg,var(--panel) 0 8px,transparent 8px 16px)}
.nocp{color:var(--warning);font-style:italic;font-size:.9rem}
.para+.para{margin-top:.8rem;padding-top:.6rem;border-top:1px dashed var(--line)}
.para.heading .st{font-weight:700;font-size:1.05em}
.pn{font-size:.75rem;color:var(--muted);display:block}
.para.flag{border-left-width:4px;border-left-style:solid;padding-left:.5rem;margin-left:-.6rem}
.s{margin:.15rem 0 .45rem;border-radius:3px}.s:hover,.s.al{background:var(--al);box-shadow:0 0 0 3px var(--al)}
.bt{color:var(--muted);font-size:.85rem;font-style:italic;margin-top:.1rem}
.bt::before{content:"\\21b3  "}
.hl,.key{color:inherit;text-decoration:none;border-radius:3px;padding:0 .1em;border-bottom:2px solid;cursor:pointer}
.chip{font-size:.72rem;border:1px solid;border-radius:99px;padding:0 .45rem;margin:0 .15rem;white-space:nowrap}
.sev-error{border-color:var(--error)}.hl.sev-error,.key.sev-error{background:var(--error-bg)}
.sev-warning{border-color:var(--warning)}.hl.sev-warning,.key.sev-warning{background:var(--warning-bg)}
.sev-info{border-color:var(--info)}.hl.sev-info,.key.sev-info{background:var(--info-bg)}
.hl.off{background:none;border-color:transparent}
.chip.off{opacity:.35}tr.off{display:none}
mark.echo,.ev mark,.key.echo{color:inherit;background:none;border-bottom:2px dotted var(--accent);border-radius:2px}
mark.echo.lit,mark.echo.pin,.ev mark{background:var(--echo)}mark.echo.lit,mark.echo.pin{outline:2px solid var(--accent)}
mark.echo.off{border-color:transparent}
.hl:target,.hl.open,.hl.lit{outline:2px solid var(--accent);outline-offset:1px}tr:target{background:var(--panel)}
.hl.cur,tr.cur{outline:3px solid var(--accent);outline-offset:2px}
.pop{position:fixed;right:1rem;bottom:1rem;z-index:10;box-sizing:border-box;width:min(46rem,calc(100vw - 2rem));
max-height:min(42vh,34rem);overflow:auto;overscroll-behavior:contain;overflow-wrap:anywhere;background:var(--bg);
border:1px solid var(--line);border-left-width:4px;border-left-style:solid;border-radius:8px;padding:.5rem .9rem;
box-shadow:0 6px 24px rgba(0,0,0,.2);font-size:.85rem}
.pop.left{right:auto;left:1rem}.pop .x{float:right;margin-left:.5rem}.pop .msg{margin:.2rem 0}
.pop li{border-left:2px solid var(--line);padding-left:.4rem;list-style:none}
.sv{font-weight:600;font-size:.75rem;text-transform:uppercase;letter-spacing:.03em}
.sv.sev-error{color:var(--error)}.sv.sev-warning{color:var(--warning)}.sv.sev-info{color:var(--info)}
dl.ev{margin:.3rem 0;display:grid;grid-template-columns:minmax(4rem,max-content) minmax(0,1fr);gap:.1rem .8rem}
dl.ev dt{color:var(--muted);overflow-wrap:anywhere}dl.ev dd{margin:0;min-width:0;overflow-wrap:anywhere}
dl.ev ul{margin:0;padding-left:1rem}dl.ev li{margin-bottom:.2rem}
dl.ev pre{margin:0;white-space:pre-wrap;word-break:break-word;font-size:.8rem}
details summary{cursor:pointer;color:var(--accent);font-size:.8rem}
.list th button{background:none;border:0;padding:0;font-weight:600}
.list th[aria-sort=ascending] button::after{content:" \\25b4"}
.list th[aria-sort=descending] button::after{content:" \\25be"}
@media (max-width:800px){body{padding:1rem}.bar{position:static}dl.ev{grid-template-columns:minmax(0,1fr)}
.grid,.grid tbody,.grid tr,.grid td{display:block;width:auto}
.grid thead{display:none}.grid td.g{text-align:left}.grid td[data-lang]::before{content:attr(data-lang);
font-weight:700;text-transform:uppercase;font-size:.75rem;color:var(--muted)}}
"""

# Plain ES5 and no `//` anywhere, so the page stays free of anything that reads like a remote reference.
JS = """
(function () {
  var bar = document.querySelector('.bar');
  if (!bar) { document.body.dataset.ready = '1'; return; }
  var form = bar.querySelector('.filters'), pos = document.getElementById('pos');
  var cur = null, box = null, near, lit = [], hot = [];
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function echoes(fid) { return all('mark.echo[data-for="' + fid + '"]'); }
  function seq() { return all('[data-nav]').filter(function (x) { return !x.classList.contains('off'); }); }
  function count() {
    var s = seq(), i = s.indexOf(cur);
    pos.textContent = (i < 0 ? '-' : i + 1) + ' / ' + s.length;
  }
  function apply() {
    var off = {}, n = 0;
    all('input', form).forEach(function (i) { if (!i.checked) off[i.name + ':' + i.value] = 1; });
    all('.hl, tr.f').forEach(function (el) {
      var d = el.dataset, hide = off['kind:' + d.kind] || off['sev:' + d.sev] || off['lang:' + d.lang];
      el.classList.toggle('off', !!hide);
      if (!hide && el.tagName === 'TR') n++;
    });
    all('mark.echo').forEach(function (m) {
      var h = document.getElementById(m.getAttribute('data-for'));
      m.classList.toggle('off', !h || h.classList.contains('off'));
    });
    document.getElementById('shown').textContent = n;
    count();
  }
  /* sentence alignment: a sentence and its counterparts share a token in data-sg */
  function align(s) {
    if (s === near) return;
    near = s;
    lit.forEach(function (x) { x.classList.remove('al'); });
    lit = [];
    if (!s || !s.dataset.sg) return;
    s.dataset.sg.split(' ').forEach(function (g) {
      all('.s[data-sg~="' + g + '"]').forEach(function (x) { x.classList.add('al'); lit.push(x); });
    });
  }
  /* a finding and the words it refers to in the other columns */
  function heat(fid) {
    hot.forEach(function (x) { x.classList.remove('lit'); });
    hot = [];
    if (!fid) return;
    var h = document.getElementById(fid);
    hot = echoes(fid).concat(h ? [h] : []);
    hot.forEach(function (x) { x.classList.add('lit'); });
  }
  function close() {
    if (box) { box.remove(); box = null; }
    document.body.classList.remove('popped');
    all('.hl.open, mark.echo.pin').forEach(function (x) { x.classList.remove('open'); x.classList.remove('pin'); });
  }
  function add(parent, tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }
  function show(h) {
    close();
    var row = document.getElementById('r-' + h.id), d = h.dataset;
    box = document.createElement('aside');
    box.id = 'pop'; box.className = 'pop sev-' + d.sev;
    box.setAttribute('role', 'dialog'); box.setAttribute('aria-label', 'evidence');
    var x = add(box, 'button', 'x', 'close');
    x.type = 'button'; x.title = 'close (Esc)';
    var head = add(box, 'div');
    add(head, 'span', 'sv sev-' + d.sev, d.sev);
    head.appendChild(document.createTextNode(' '));
    add(head, 'code', '', d.kind);
    var at = row ? row.querySelector('.where').textContent : d.lang;
    add(head, 'span', 'muted', ' ' + at + ' \u00b7 score ' + d.score);
    if (row) {
      add(box, 'div', 'msg', row.querySelector('.msg').textContent);
      var ev = row.querySelector('dl.ev');
      if (ev) box.appendChild(ev.cloneNode(true));
      var go = add(box, 'a', '', 'in the findings table');
      go.href = '#r-' + h.id;
    }
    var r = h.getBoundingClientRect();
    /* the panel takes the side of the window away from the highlight */
    if (r.left + r.width / 2 > document.documentElement.clientWidth / 2) box.classList.add('left');
    document.body.appendChild(box);
    document.body.classList.add('popped');
    h.classList.add('open');
    echoes(h.id).forEach(function (m) { m.classList.add('pin'); });
    var b = box.getBoundingClientRect();
    if (r.bottom > b.top - 8 && r.top < b.bottom && r.right > b.left && r.left < b.right) {
      window.scrollBy(0, r.bottom - b.top + 24);
    }
  }
  function mark(el) {
    if (cur) cur.classList.remove('cur');
    cur = el;
    if (el) el.classList.add('cur');
    count();
  }
  function go(dir) {
    var s = seq();
    if (!s.length) return;
    var i = s.indexOf(cur);
    i = i < 0 ? (dir > 0 ? 0 : s.length - 1) : (i + dir + s.length) % s.length;
    var el = s[i];
    mark(el);
    el.scrollIntoView({block: 'center'});
    if (el.focus) el.focus({preventScroll: true});
    if (el.classList.contains('hl')) { show(el); align(el.closest('.s')); } else close();
  }
  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (t.closest('.pop .x')) { close(); return; }
    var b = t.closest('[data-go]');
    if (b) { go(+b.getAttribute('data-go')); return; }
    var h = t.closest('.hl');
    if (h) {
      ev.preventDefault();
      if (h.classList.contains('open')) close(); else { show(h); mark(h); }
    }
  });
  document.addEventListener('mouseover', function (ev) {
    var t = ev.target;
    if (!t.closest) return;
    align(t.closest('.s'));
    var h = t.closest('.hl'), m = t.closest('mark.echo');
    heat(h ? h.id : m ? m.getAttribute('data-for') : null);
  });
  document.addEventListener('keydown', function (ev) {
    var t = ev.target;
    if (ev.ctrlKey || ev.metaKey || ev.altKey || t.isContentEditable) return;
    if ((t.tagName === 'INPUT' && t.type !== 'checkbox') || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return;
    if (ev.key === 'n') { ev.preventDefault(); go(1); }
    else if (ev.key === 'p') { ev.preventDefault(); go(-1); }
    else if (ev.key === 'Escape') close();
  });
  /* the findings tables sort by any column; ties keep the original order */
  all('table.list').forEach(function (table) {
    var body = table.tBodies[0];
    all('th[data-sort]', table).forEach(function (th) {
      var b = document.createElement('button'), col = th.cellIndex, num = th.dataset.sort === 'num';
      b.type = 'button'; b.textContent = th.textContent; th.textContent = ''; th.appendChild(b);
      b.addEventListener('click', function () {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        all('th[aria-sort]', table).forEach(function (x) { x.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var rows = Array.prototype.slice.call(body.rows);
        function key(tr) {
          var c = tr.cells[col], v = c.dataset.v !== undefined ? c.dataset.v : c.textContent;
          return num ? +v || 0 : v;
        }
        rows.sort(function (a, z) {
          var x = key(a), y = key(z), c = x < y ? -1 : x > y ? 1 : 0;
          return (up ? c : -c) || (+a.dataset.i - +z.dataset.i);
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
  });
  form.addEventListener('change', apply);
  bar.hidden = false;
  /* the sticky language row sits just below the sticky bar, whatever height it wrapped to */
  function top() { document.documentElement.style.setProperty('--top', bar.offsetHeight + 'px'); }
  window.addEventListener('resize', top);
  top();
  apply();
  document.body.dataset.ready = '1';
})();
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _floor(min_severity: str) -> int:
    return 99 if min_severity == "never" else Severity(min_severity).rank


def _hl(fid: str, f: Finding, inner: str, chip: bool = False) -> str:
    title = f"{f.severity.value} · {f.kind} · score {f.score:.2f} — {f.message}"
    return (f'<a class="hl{" chip" if chip else ""} sev-{f.severity.value}" id="{fid}" href="#r-{fid}" data-nav '
            f'data-kind="{e(f.kind)}" data-sev="{f.severity.value}" data-lang="{e(f.lang)}" '
            f'data-score="{f.score:.2f}" title="{e(title)}">{inner}</a>')


def _locate(s: Sentence, f: Finding) -> int | None:
    if not f.text:
        return None
    if f.start is not None and s.text[f.start - s.start:f.start - s.start + len(f.text)] == f.text:
        return f.start - s.start
    at = s.text.find(f.text)
    return at if at >= 0 else None


def _find(word: str, text: str) -> tuple[int, int] | None:
    """Where `word` (the full form a finding names) stands in `text`: as a whole word, any case; a longer word may also
    match inside another (a compound, an affix)."""
    word = word.strip()
    if not word:
        return None
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE)
    if m is None and len(word) >= 4:
        m = re.search(re.escape(word), text, re.IGNORECASE)
    return m.span() if m else None


def _marked(text: str, lo: int, hi: int, echoes: list[tuple]) -> str:
    """text[lo:hi], escaped, with the echoes that fall inside it marked."""
    out, cur = [], lo
    for a, b, fid, f, title in echoes:
        if lo <= a and b <= hi:
            out += [e(text[cur:a]), f'<mark class="echo" data-for="{fid}" title="{e(title)}">{e(text[a:b])}</mark>']
            cur = b
    out.append(e(text[cur:hi]))
    return "".join(out)


def _sentence(s: Sentence, items: list[tuple[str, Finding]], echoes: list[tuple], sg: str | None) -> str:
    spans, loose = [], []
    for fid, f in items:
        at = _locate(s, f)
        (loose if at is None else spans).append((fid, f) if at is None else (at, at + len(f.text), fid, f))
    placed, cur = [], 0
    for a, b, fid, f in sorted(spans, key=lambda x: (x[0], x[0] - x[1], x[2])):
        if a < cur:  # overlapping spans cannot nest in HTML; the later one becomes a chip
            loose.append((fid, f))
            continue
        placed.append((a, b, fid, f))
        cur = b
    if len(loose) == 1 and not placed:  # nothing to point at: the whole sentence is the span
        placed, loose = [(0, len(s.text), *loose[0])], []
    # An echo sits inside one highlight or outside all of them, and never across another echo.
    kept, end = [], 0
    for echo in sorted(echoes, key=lambda x: (x[0], x[0] - x[1], x[2])):
        a, b = echo[0], echo[1]
        if a < end or any(a < pb and pa < b and not (pa <= a and b <= pb) for pa, pb, _, _ in placed):
            continue
        kept.append(echo)
        end = b
    out, cur = [], 0
    for a, b, fid, f in placed:
        out += [_marked(s.text, cur, a, kept), _hl(fid, f, _marked(s.text, a, b, kept))]
        cur = b
    out.append(_marked(s.text, cur, len(s.text), kept))
    text = "".join(out) + "".join(" " + _hl(fid, f, e(f.kind), chip=True) for fid, f in loose)
    bt = f'<div class="bt">{e(s.backtranslation)}</div>' if s.backtranslation is not None else ""
    data = f' data-sg="{sg}"' if sg else ""
    return f'<div class="s"{data}><span class="st">{text}</span>{bt}</div>'


def _paragraph(p: Paragraph, lang: str, marks: dict, echoes: dict, groups: dict, cid: str) -> str:
    own = marks.get((lang, p.index, None), [])
    sentences = p.sentences or (Sentence(p.index, 1, p.line, p.text, 0),)
    worst = max((f.severity for _, f in own), key=lambda s: s.rank, default=None)
    body = "".join(_sentence(s, marks.get((lang, p.index, s.index), []), echoes.get((lang, p.index, s.index), []),
                             groups.get((lang, (p.index, s.index)))) for s in sentences)
    chips = ('<div class="chips">' + " ".join(_hl(fid, f, e(f.kind), chip=True) for fid, f in own) + "</div>"
             if own else "")
    cls = "para" + (" heading" if p.heading else "") + (f" flag sev-{worst.value}" if worst else "")
    return f'<div class="{cls}" id="{cid}"><span class="pn">¶{p.index} · line {p.line}</span>{chips}{body}</div>'


def _refers_to(f: Finding) -> tuple[str, list[str]] | None:
    """The full form a finding names and the renderings that have it (truncation, entity and placeholder checks)."""
    word, where = f.evidence.get("expected"), f.evidence.get("found_in")
    if isinstance(word, str) and word.strip() and isinstance(where, (list, tuple)):
        return word, [w for w in where if isinstance(w, str) and w != f.lang]
    return None


def _value(x: Any, mark: tuple[str, list[str]] | None = None) -> str:
    """Evidence as a reviewer reads it: counterpart sentences as quotes (the word the finding refers to marked),
    short lists inline, the rest as JSON."""
    if isinstance(x, (str, int, float)) or x is None:
        return e(x)
    if isinstance(x, list) and all(isinstance(i, (str, int, float)) for i in x):
        return e(", ".join(map(str, x)))
    if isinstance(x, list) and all(isinstance(i, dict) and "text" in i for i in x):
        items = []
        for i in x:
            text = str(i["text"])
            span = _find(mark[0], text) if mark and i.get("lang") in mark[1] else None
            quote = (e(text[:span[0]]) + f"<mark>{e(text[span[0]:span[1]])}</mark>" + e(text[span[1]:])
                     if span else e(text))
            items.append(f'<li><b>{e(i.get("lang", ""))}</b>{" ¶" + e(i["paragraph"]) if "paragraph" in i else ""} '
                         + quote + (f'<div class="bt">{e(i["backtranslation"])}</div>'
                                    if i.get("backtranslation") else "") + "</li>")
        return "<ul>" + "".join(items) + "</ul>"
    return f"<pre>{e(json.dumps(x, ensure_ascii=False, indent=2, default=str))}</pre>"


def _echoes(result: Result, placed: dict[str, Finding], ids: dict[int, str], groups: dict[tuple, str],
            sgroups: dict[str, Any]) -> dict[tuple, list[tuple]]:
    """(lang, paragraph, sentence) -> the words there that a finding elsewhere refers to: looked for in the sentences
    aligned with the finding's first, then in the rest of its paragraph group."""
    by_ref = {r.lang: r for r in result.renderings}
    pgroups = {g.index: g for g in result.paragraph_groups}
    pg_of = {(lang, p): g for g in result.paragraph_groups for lang, ps in g.members.items() for p in ps}
    out: dict[tuple, list[tuple]] = {}
    for f in sorted(placed.values(), key=lambda f: f.sort_key()):
        refers = _refers_to(f)
        if refers is None or f.paragraph is None:
            continue
        word, langs = refers
        sg = sgroups.get(groups.get((f.lang, (f.paragraph, f.sentence)), "")) if f.sentence else None
        pg = pgroups.get(f.group) if f.group is not None else pg_of.get((f.lang, f.paragraph))
        for o in langs:
            r = by_ref.get(o)
            if r is None:  # 'de dictionary' and the like: nothing to point at
                continue
            cands: list[Sentence] = []
            if sg is not None:
                cands += [r.sentence(ref) for ref in sg.members.get(o, ()) if _has(r, ref)]
            if pg is not None:
                cands += [s for p in pg.members.get(o, ()) if 1 <= p <= len(r.paragraphs)
                          for s in r.paragraph(p).sentences]
            for s in dict.fromkeys(cands):
                span = _find(word, s.text)
                if span:
                    title = f"{f.kind} in {location(f)} refers to this: {f.message}"
                    out.setdefault((o, s.paragraph, s.index), []).append((*span, ids[id(f)], f, title))
                    break
    return out


def _has(r, ref: tuple[int, int]) -> bool:
    return 1 <= ref[0] <= len(r.paragraphs) and 1 <= ref[1] <= len(r.paragraph(ref[0]).sentences)


def _tally(findings: Iterable[Finding]) -> Counter:
    """(lang, kind, severity) -> count: the one source of every count on the page."""
    return Counter((f.lang, f.kind, f.severity.value) for f in findings)


def _badges(tally: Counter, keep) -> str:
    out = []
    for v in SEVERITIES:
        n = sum(c for (lang, kind, sev), c in tally.items() if sev == v and keep(lang, kind))
        if n:
            out.append(f'<span class="n sev-{v}" data-sev="{v}" title="{n} {v}">{n}</span>')
    return "".join(out)


def _summary(corpus: Corpus, min_severity: str) -> str:
    """Severity cards and a kind × language table of what the page highlights and lists."""
    shown = at_least(corpus.findings, min_severity)
    tally, floor = _tally(shown), _floor(min_severity)
    everything = Counter(f.severity.value for f in corpus.findings)
    langs = list(dict.fromkeys(r.lang for d in corpus.documents for r in d.renderings))
    langs += sorted({f.lang for f in shown} - set(langs))
    kinds = sorted({f.kind for f in shown})
    out = ['<section class="summary" id="summary"><h2>Summary</h2><div class="cards">']
    for v in SEVERITIES:
        if Severity(v).rank >= floor:
            n = sum(c for k, c in tally.items() if k[2] == v)
            out.append(f'<div class="card sev-{v}" data-sev="{v}"><b>{n}</b>{v}</div>')
        else:
            out.append(f'<div class="card below sev-{v}"><b>{everything[v]}</b>{v} · below the floor, '
                       "not shown</div>")
    out.append("</div>")
    if not shown:
        out.append(f'<p class="muted">No findings at or above {e(min_severity)}.</p></section>')
        return "".join(out)
    out.append('<div class="wide"><table class="matrix"><thead><tr><th>kind</th>'
               + "".join(f'<th class="num"><span class="lang">{e(lang)}</span></th>' for lang in langs)
               + '<th class="num">total</th></tr></thead><tbody>')
    for kind in kinds:
        total = sum(c for k, c in tally.items() if k[1] == kind)
        out.append(f'<tr data-k="{e(kind)}"><th><code>{e(kind)}</code></th>' + "".join(
            f'<td class="num" data-l="{e(lang)}">{_badges(tally, lambda l, k, lang=lang: l == lang and k == kind)}'
            "</td>" for lang in langs) + f'<td class="num tot"><b class="t">{total}</b></td></tr>')
    out.append('</tbody><tfoot><tr><th>total</th>')
    for lang in langs:
        total = sum(c for k, c in tally.items() if k[0] == lang)
        out.append(f'<td class="num tot" data-l="{e(lang)}">{_badges(tally, lambda l, k, lang=lang: l == lang)}'
                   f'<b class="t">{total}</b></td>')
    out.append(f'<td class="num tot" data-all>{_badges(tally, lambda l, k: True)}<b class="t">{len(shown)}</b></td>'
               "</tr></tfoot></table></div></section>")
    return "".join(out)


def _document(d: int, result: Result, min_severity: str) -> str:
    shown = at_least(result.findings, min_severity)
    ids = {id(f): f"f{d}-{i}" for i, f in enumerate(result.findings)}
    langs = [r.lang for r in result.renderings]
    by_ref = {r.lang: {p.index: p for p in r.paragraphs} for r in result.renderings}
    groups = {(lang, ref): f"s{d}-{g.index}" for g in result.sentence_groups
              for lang, refs in g.members.items() for ref in refs}
    marks: dict[tuple, list] = {}
    for f in sorted(shown, key=lambda f: f.sort_key()):
        p = by_ref.get(f.lang, {}).get(f.paragraph)
        if p is not None:
            sent = f.sentence if f.sentence and 1 <= f.sentence <= len(p.sentences or (0,)) else None
            marks.setdefault((f.lang, p.index, sent), []).append((ids[id(f)], f))
    placed = {fid: f for items in marks.values() for fid, f in items}
    echoes = _echoes(result, placed, ids, groups, {f"s{d}-{g.index}": g for g in result.sentence_groups})
    per_lang = Counter(f.lang for f in shown)
    out = [f'<section class="doc" id="doc{d}"><h2>{e(result.name or "document")}</h2>']
    if result.models:
        out.append('<div class="sub">' + " · ".join(f"{e(m.role)}: <code>{e(m.id)}</code>" for m in result.models)
                   + "</div>")
    out.append('<div class="wide"><table class="meta"><tr><th>lang</th><th>file</th><th class="num">paragraphs</th>'
               '<th class="num">sentences</th><th class="num">findings</th></tr>')
    for r in result.renderings:
        out.append(f'<tr><td class="lang">{e(r.lang)}</td><td class="path">{e(r.path)}</td>'
                   f'<td class="num">{len(r.paragraphs)}</td><td class="num">{len(r.sentences)}</td>'
                   f'<td class="num">{per_lang.get(r.lang, 0)}</td></tr>')
    gaps = sum(1 for g in result.paragraph_groups if len(g.present()) < len(result.renderings))
    out.append(f'</table></div><p class="sub">{len(result.paragraph_groups)} paragraph groups, {gaps} with a gap; '
               f"{len(result.sentence_groups)} sentence groups.</p>")
    hidden = len(result.findings) - len(shown)
    if hidden:
        out.append(f'<p class="sub hidden-count">{hidden} finding(s) below {e(min_severity)} are not highlighted '
                   "or listed.</p>")
    out.append('<h3>Aligned text</h3><table class="grid"><thead><tr><th class="g">§</th>'
               + "".join(f'<th><span class="lang">{e(lang)}</span></th>' for lang in langs) + "</tr></thead><tbody>")
    for g in result.paragraph_groups:
        gap = any(not g.members.get(lang) for lang in langs)
        gcls = ' class="gap"' if gap else ""
        out.append(f'<tr id="g{d}-{g.index}"{gcls}><td class="g">§{g.index}'
                   + ("<br>gap" if gap else "") + "</td>")
        for lang in langs:
            ps = [by_ref[lang][i] for i in g.members.get(lang, ()) if i in by_ref[lang]]
            if not ps:
                out.append(f'<td class="none" data-lang="{e(lang)}"><div class="nocp">— no counterpart in '
                           f"{e(lang)}</div></td>")
                continue
            out.append(f'<td data-lang="{e(lang)}">' + "".join(
                _paragraph(p, lang, marks, echoes, groups, f"p{d}-{e(lang)}-{p.index}") for p in ps) + "</td>")
        out.append("</tr>")
    out.append('</tbody></table><h3>Findings</h3>')
    if not shown:
        out.append('<p class="muted">Nothing at or above this severity.</p>')
    else:
        out.append('<div class="wide"><table class="list"><thead><tr><th data-sort="num">severity</th>'
                   '<th data-sort="text">kind</th><th data-sort="text">where</th>'
                   '<th class="num" data-sort="num">line</th><th>message</th><th class="num" data-sort="num">score</th>'
                   '<th data-sort="text">excerpt</th></tr></thead><tbody>')
        for n, f in enumerate(sorted(shown, key=lambda f: (-f.severity.rank, f.sort_key()))):
            fid, v = ids[id(f)], f.severity.value
            where = e(location(f).rsplit(" l.", 1)[0])
            link = f'<a href="#{fid}">{where}</a>' if fid in placed else where
            nav = "" if fid in placed else ' data-nav tabindex="-1"'  # no highlight to step to: the row is the stop
            order = f"{f.lang}\t{f.paragraph or 0:06d}.{f.sentence or 0:04d}"
            refers = _refers_to(f)
            ev = "".join(f"<dt>{e(k)}</dt><dd>{_value(x, refers)}</dd>" for k, x in f.evidence.items())
            ev = f'<details><summary>evidence</summary><dl class="ev">{ev}</dl></details>' if ev else ""
            out.append(f'<tr class="f" id="r-{fid}" data-i="{n}"{nav} data-kind="{e(f.kind)}" data-sev="{v}" '
                       f'data-lang="{e(f.lang)}"><td class="sv sev-{v}" data-v="{f.severity.rank}">{v}</td>'
                       f'<td><code>{e(f.kind)}</code></td><td class="where" data-v="{e(order)}">{link}</td>'
                       f'<td class="num">{f.line or ""}</td><td><span class="msg">{e(f.message)}</span>{ev}</td>'
                       f'<td class="num">{f.score:.2f}</td><td>“{e(excerpt(f.text, 60))}”</td></tr>')
        out.append("</tbody></table></div>")
    return "\n".join(out) + "</section>"


def _bar(corpus: Corpus, min_severity: str) -> str:
    """Filters (with the summary's counts) and next/previous: hidden until the script runs, as they need it."""
    shown = at_least(corpus.findings, min_severity)
    if not shown:
        return ""
    tally = _tally(shown)
    langs = list(dict.fromkeys(r.lang for d in corpus.documents for r in d.renderings))
    langs += sorted({f.lang for f in shown} - set(langs))
    facets = [("sev", "severity", 2, SEVERITIES), ("kind", "kind", 1, sorted({f.kind for f in shown})),
              ("lang", "language", 0, langs)]
    out = ['<div class="bar" hidden><div class="filters" role="group" aria-label="filters">']
    for name, label, axis, values in facets:
        count = Counter()
        for key, c in tally.items():
            count[key[axis]] += c
        values = [v for v in values if count[v]]  # a control that would hide nothing is left out
        out.append(f"<fieldset><legend>{label}</legend>")
        for v in values:
            cls = f' class="sv sev-{v}"' if name == "sev" else ""
            out.append(f'<label{cls}><input type="checkbox" name="{name}" value="{e(v)}" checked>{e(v)} '
                       f'<span class="muted" data-count>{count[v]}</span></label>')
        out.append("</fieldset>")
    out.append(f'<span class="muted"><output id="shown">{len(shown)}</output> of {len(shown)} findings shown</span>'
               '</div><div class="nav"><button type="button" data-go="-1" title="previous finding (p)">‹ previous'
               '</button><span id="pos" class="muted">-</span><button type="button" data-go="1" '
               'title="next finding (n)">next ›</button><span class="muted"><kbd>n</kbd> / <kbd>p</kbd> · hover a '
               "sentence to see its counterparts · click a highlight for the evidence</span></div></div>")
    return "".join(out)


def _head(corpus: Corpus, min_severity: str) -> list[str]:
    names = [d.name for d in corpus.documents if d.name]
    title = "consistency — " + (", ".join(names) if names else "report")
    legend = (" ".join(f'<span class="key sev-{v}">{v}</span>' for v in SEVERITIES)
              + ' <span class="key echo">the word a finding refers to</span>')
    return ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{e(title)}</title>",
            f"<style>{CSS}</style></head><body>",
            f'<header><h1>{e(title)}</h1><div class="sub">consistency {e(__version__)} · '
            f"highlighted: {e(min_severity)} and above · {legend} · a highlight links to its row in the findings "
            "table, where the evidence is"
            + (f" · {corpus.baselined} known finding(s) left out by the baseline" if corpus.baselined else "")
            + "</div></header>", _bar(corpus, min_severity), _summary(corpus, min_severity)]


def _tail(corpus: Corpus) -> list[str]:
    parts = []
    if corpus.unmatched:
        parts.append('<section class="unmatched"><h2>Files with no counterpart</h2><table class="list"><thead><tr>'
                     "<th>file</th><th>lang</th><th>reason</th></tr></thead><tbody>" + "".join(
                         f'<tr><td class="path">{e(u.path)}</td><td>{e(u.lang)}</td><td>{e(u.reason)}</td></tr>'
                         for u in corpus.unmatched) + "</tbody></table></section>")
    parts.append(f"<script>{JS}</script></body></html>")
    return parts


def render(corpus: Corpus, min_severity: str = "warning", **_: Any) -> str:
    docs = [_document(d, r, min_severity) for d, r in enumerate(corpus.documents)]
    return "\n".join(_head(corpus, min_severity) + docs + _tail(corpus)) + "\n"


# Streaming (consistency/report/stream.py): one document's section at a time, byte for byte what `render` writes;
# the header, filters and summary are drawn from every document's findings (not their text) at the end.
SEPARATOR = "\n"


def document_part(result: Result, min_severity: str = "warning", index: int = 0, **_: Any) -> str:
    """The section of the document `index` (0-based, in report order: its ids are f{index}-…)."""
    return _document(index, result, min_severity)


def frame(corpus: Corpus, min_severity: str = "warning", **_: Any) -> tuple[str, str]:
    return "\n".join(_head(corpus, min_severity)) + "\n", "\n" + "\n".join(_tail(corpus)) + "\n"
