"""A single self-contained HTML page for a reviewer: the renderings side by side, aligned paragraph by paragraph,
with the flagged spans highlighted, a findings list and filters. Nothing is loaded from the network and nothing
depends on a clock, so the same run gives the same bytes. Every piece of document text goes through `e()`; the
script carries no data and works only from data-* attributes, so there is nothing for document text to break out of.
Without JavaScript the page stays readable: highlights link to their row in the list, where the evidence unfolds."""
from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import Any

from consistency import __version__
from consistency.model import Corpus, Finding, Paragraph, Result, Sentence, Severity
from consistency.report.common import at_least, excerpt, location
from consistency.report.json import summary

SEVERITIES = [s.value for s in Severity]

CSS = """
:root{--fg:#1d2330;--muted:#6b7280;--bg:#fff;--panel:#f6f7f9;--line:#e3e6eb;--accent:#3557c4;
--error:#c62828;--error-bg:#fde4e2;--warning:#b26a00;--warning-bg:#fff1c7;--info:#2d6bc4;--info-bg:#e2edfb;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--muted:#9aa3b2;--bg:#15181e;--panel:#1e232b;--line:#303743;
--accent:#8fa8ff;--error:#ff8a80;--error-bg:#4a1f1f;--warning:#ffc861;--warning-bg:#45371a;
--info:#8cb8ff;--info-bg:#1d3150}}
body{margin:0 auto;max-width:1600px;padding:1.5rem 2rem 4rem;line-height:1.5;font-size:15px}
h1{font-size:1.5rem;margin:0}h2{font-size:1.3rem;margin:2rem 0 .3rem}h3{font-size:1.05rem;margin:1.8rem 0 .6rem}
a{color:var(--accent)}code,.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.muted,.sub{color:var(--muted)}.sub{font-size:.85rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35rem .6rem}
.meta td,.meta th,.list td,.list th{border-bottom:1px solid var(--line)}.meta{width:auto}
.where{white-space:nowrap}.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{background:var(--panel);border-radius:8px;padding:.5rem .9rem;min-width:6rem;border-top:3px solid var(--line)}
.card b{display:block;font-size:1.4rem}.card.sev-error{border-color:var(--error)}
.card.sev-warning{border-color:var(--warning)}.card.sev-info{border-color:var(--info)}
.pill{display:inline-block;background:var(--panel);border-radius:99px;
padding:.05rem .6rem;margin:.1rem;font-size:.85rem}
.filters{position:sticky;top:0;z-index:3;background:var(--bg);border-bottom:1px solid var(--line);padding:.5rem 0;
display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:center;font-size:.85rem}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
.filters legend{float:left;color:var(--muted);margin-right:.3rem}
.filters label{background:var(--panel);border-radius:99px;padding:.1rem .6rem;cursor:pointer;user-select:none}
.filters input{margin:0 .3rem 0 0;vertical-align:-1px}
.grid{table-layout:fixed;border:1px solid var(--line)}
.grid th{position:sticky;top:var(--top,0);z-index:2;background:var(--panel);border-bottom:2px solid var(--line)}
.grid td{border-top:1px solid var(--line);border-left:1px solid var(--line)}
.grid th.g,.grid td.g{width:3.2rem;text-align:center;color:var(--muted);font-size:.8rem;border-left:0}
.lang{font-weight:700;font-size:1rem;text-transform:uppercase;letter-spacing:.04em}
tr.gap td.g{box-shadow:inset 4px 0 var(--warning);color:var(--warning);font-weight:600}
td.none{background:repeating-linear-gradient(135deg,var(--panel) 0 8px,transparent 8px 16px)}
.nocp{color:var(--warning);font-style:italic;font-size:.9rem}
.para+.para{margin-top:.8rem;padding-top:.6rem;border-top:1px dashed var(--line)}
.para.heading .st{font-weight:700;font-size:1.05em}
.pn{font-size:.75rem;color:var(--muted);display:block}
.para.flag{border-left-width:4px;border-left-style:solid;padding-left:.5rem;margin-left:-.6rem}
.s{margin:.15rem 0 .45rem}.bt{color:var(--muted);font-size:.85rem;font-style:italic;margin-top:.1rem}
.bt::before{content:"\\21b3  "}
.hl,.key{color:inherit;text-decoration:none;border-radius:3px;padding:0 .1em;border-bottom:2px solid;cursor:pointer}
.chip{font-size:.72rem;border:1px solid;border-radius:99px;padding:0 .45rem;margin:0 .15rem;white-space:nowrap}
.sev-error{border-color:var(--error)}.hl.sev-error,.key.sev-error{background:var(--error-bg)}
.sev-warning{border-color:var(--warning)}.hl.sev-warning,.key.sev-warning{background:var(--warning-bg)}
.sev-info{border-color:var(--info)}.hl.sev-info,.key.sev-info{background:var(--info-bg)}
.hl.off{background:none;border-color:transparent}
.chip.off{opacity:.35}tr.off{display:none}
.hl:target,.hl.open{outline:2px solid var(--accent);outline-offset:1px}tr:target{background:var(--panel)}
.pop{background:var(--panel);border-left-width:4px;border-left-style:solid;
border-radius:6px;padding:.5rem .8rem;margin:.3rem 0 .6rem;font-size:.85rem}
.sv{font-weight:600;font-size:.75rem;text-transform:uppercase;letter-spacing:.03em}
.sv.sev-error{color:var(--error)}.sv.sev-warning{color:var(--warning)}.sv.sev-info{color:var(--info)}
dl.ev{margin:.3rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem}dl.ev dt{color:var(--muted)}
dl.ev dd{margin:0}
dl.ev ul{margin:0;padding-left:1rem}dl.ev li{margin-bottom:.2rem}
dl.ev pre{margin:0;white-space:pre-wrap;word-break:break-word;font-size:.8rem}
details summary{cursor:pointer;color:var(--accent);font-size:.8rem}
@media (max-width:800px){body{padding:1rem}.grid,.grid tbody,.grid tr,.grid td{display:block;width:auto}
.grid thead{display:none}.grid td.g{text-align:left}.grid td[data-lang]::before{content:attr(data-lang);
font-weight:700;text-transform:uppercase;font-size:.75rem;color:var(--muted)}}
"""

# Plain ES5 and no `//` anywhere, so the page stays free of anything that reads like a remote reference.
JS = """
(function () {
  var form = document.querySelector('.filters');
  function apply() {
    var off = {}, n = 0;
    form.querySelectorAll('input').forEach(function (i) { if (!i.checked) off[i.name + ':' + i.value] = 1; });
    document.querySelectorAll('[data-kind]').forEach(function (el) {
      var d = el.dataset, hide = off['kind:' + d.kind] || off['sev:' + d.sev] || off['lang:' + d.lang];
      el.classList.toggle('off', !!hide);
      if (!hide && el.tagName === 'TR') n++;
    });
    document.getElementById('shown').textContent = n;
  }
  function pop(h) {
    var box = document.getElementById('pop-' + h.id), row = document.getElementById('r-' + h.id);
    if (box) { box.remove(); h.classList.remove('open'); return; }
    box = document.createElement('div');
    box.id = 'pop-' + h.id; box.className = 'pop sev-' + h.dataset.sev;
    var head = document.createElement('div');
    head.innerHTML = '<span class="sv"></span> <code></code> <span class="muted"></span>';
    head.children[0].textContent = h.dataset.sev; head.children[0].classList.add('sev-' + h.dataset.sev);
    head.children[1].textContent = h.dataset.kind; head.children[2].textContent = 'score ' + h.dataset.score;
    box.appendChild(head);
    if (row) {
      var msg = document.createElement('div');
      msg.textContent = row.querySelector('.msg').textContent; box.appendChild(msg);
      var ev = row.querySelector('dl.ev'); if (ev) box.appendChild(ev.cloneNode(true));
      var go = document.createElement('a'); go.href = '#r-' + h.id; go.textContent = 'in the findings list';
      box.appendChild(go);
    }
    (h.closest('.s') || h.closest('.chips')).after(box);
    h.classList.add('open');
  }
  document.addEventListener('click', function (ev) {
    var h = ev.target.closest('.hl');
    if (h) { ev.preventDefault(); pop(h); }
  });
  form.addEventListener('change', apply);
  form.hidden = false;
  /* the sticky language row sits just below the sticky filter bar, whatever height it wrapped to */
  document.documentElement.style.setProperty('--top', form.offsetHeight + 'px');
  apply();
  document.body.dataset.ready = '1';
})();
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _hl(fid: str, f: Finding, inner: str, chip: bool = False) -> str:
    title = f"{f.severity.value} · {f.kind} · score {f.score:.2f} — {f.message}"
    return (f'<a class="hl{" chip" if chip else ""} sev-{f.severity.value}" id="{fid}" href="#r-{fid}" '
            f'data-kind="{e(f.kind)}" data-sev="{f.severity.value}" data-lang="{e(f.lang)}" '
            f'data-score="{f.score:.2f}" title="{e(title)}">{inner}</a>')


def _locate(s: Sentence, f: Finding) -> int | None:
    if not f.text:
        return None
    if f.start is not None and s.text[f.start - s.start:f.start - s.start + len(f.text)] == f.text:
        return f.start - s.start
    at = s.text.find(f.text)
    return at if at >= 0 else None


def _sentence(s: Sentence, items: list[tuple[str, Finding]]) -> str:
    spans, loose = [], []
    for fid, f in items:
        at = _locate(s, f)
        (loose if at is None else spans).append((fid, f) if at is None else (at, at + len(f.text), fid, f))
    out, cur = [], 0
    for a, b, fid, f in sorted(spans, key=lambda x: (x[0], x[0] - x[1], x[2])):
        if a < cur:  # overlapping spans cannot nest in HTML; the later one becomes a chip
            loose.append((fid, f))
            continue
        out += [e(s.text[cur:a]), _hl(fid, f, e(s.text[a:b]))]
        cur = b
    out.append(e(s.text[cur:]))
    if len(loose) == 1 and not spans:  # nothing to point at: the whole sentence is the span
        out, loose = [_hl(loose[0][0], loose[0][1], e(s.text))], []
    text = "".join(out) + "".join(" " + _hl(fid, f, e(f.kind), chip=True) for fid, f in loose)
    bt = f'<div class="bt">{e(s.backtranslation)}</div>' if s.backtranslation is not None else ""
    return f'<div class="s"><span class="st">{text}</span>{bt}</div>'


def _paragraph(p: Paragraph, lang: str, marks: dict, cid: str) -> str:
    own = marks.get((lang, p.index, None), [])
    sentences = p.sentences or (Sentence(p.index, 1, p.line, p.text, 0),)
    worst = max((f.severity for _, f in own), key=lambda s: s.rank, default=None)
    body = "".join(_sentence(s, marks.get((lang, p.index, s.index), [])) for s in sentences)
    chips = ('<div class="chips">' + " ".join(_hl(fid, f, e(f.kind), chip=True) for fid, f in own) + "</div>"
             if own else "")
    cls = "para" + (" heading" if p.heading else "") + (f" flag sev-{worst.value}" if worst else "")
    return f'<div class="{cls}" id="{cid}"><span class="pn">¶{p.index} · line {p.line}</span>{chips}{body}</div>'


def _value(x: Any) -> str:
    """Evidence as a reviewer reads it: counterpart sentences as quotes, short lists inline, the rest as JSON."""
    if isinstance(x, (str, int, float)) or x is None:
        return e(x)
    if isinstance(x, list) and all(isinstance(i, (str, int, float)) for i in x):
        return e(", ".join(map(str, x)))
    if isinstance(x, list) and all(isinstance(i, dict) and "text" in i for i in x):
        return "<ul>" + "".join(
            f'<li><b>{e(i.get("lang", ""))}</b>{" ¶" + e(i["paragraph"]) if "paragraph" in i else ""} {e(i["text"])}'
            + (f'<div class="bt">{e(i["backtranslation"])}</div>' if i.get("backtranslation") else "") + "</li>"
            for i in x) + "</ul>"
    return f"<pre>{e(json.dumps(x, ensure_ascii=False, indent=2, default=str))}</pre>"


def _document(d: int, result: Result, min_severity: str) -> tuple[str, int]:
    s, shown = summary(result), at_least(result.findings, min_severity)
    ids = {id(f): f"f{d}-{i}" for i, f in enumerate(result.findings)}
    langs = [r.lang for r in result.renderings]
    by_ref = {r.lang: {p.index: p for p in r.paragraphs} for r in result.renderings}
    marks: dict[tuple, list] = {}
    for f in sorted(shown, key=lambda f: f.sort_key()):
        p = by_ref.get(f.lang, {}).get(f.paragraph)
        if p is not None:
            sent = f.sentence if f.sentence and 1 <= f.sentence <= len(p.sentences or (0,)) else None
            marks.setdefault((f.lang, p.index, sent), []).append((ids[id(f)], f))
    placed = {fid for items in marks.values() for fid, _ in items}
    sev = s["by_severity"]
    out = [f'<section class="doc" id="doc{d}"><h2>{e(result.name or "document")}</h2>']
    if result.models:
        out.append('<div class="sub">' + " · ".join(f"{e(m.role)}: <code>{e(m.id)}</code>" for m in result.models)
                   + "</div>")
    out.append('<table class="meta"><tr><th>lang</th><th>file</th><th class="num">paragraphs</th>'
               '<th class="num">sentences</th><th class="num">findings</th></tr>')
    for r in result.renderings:
        out.append(f'<tr><td class="lang">{e(r.lang)}</td><td class="path">{e(r.path)}</td>'
                   f'<td class="num">{len(r.paragraphs)}</td><td class="num">{len(r.sentences)}</td>'
                   f'<td class="num">{s["by_lang"].get(r.lang, 0)}</td></tr>')
    out.append('</table><div class="cards summary">')
    out += [f'<div class="card sev-{v}"><b>{sev[v]}</b>{v}</div>' for v in SEVERITIES]
    out.append(f'<div class="card"><b>{s["paragraph_groups"]}</b>paragraph groups, '
               f'{s["unaligned_paragraph_groups"]} with a gap</div></div>')
    if s["by_kind"]:
        out.append('<div>by kind: ' + "".join(f'<span class="pill"><code>{e(k)}</code> {v}</span>'
                                              for k, v in s["by_kind"].items()) + "</div>")
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
                _paragraph(p, lang, marks, f"p{d}-{e(lang)}-{p.index}") for p in ps) + "</td>")
        out.append("</tr>")
    out.append('</tbody></table><h3>Findings</h3>')
    if not shown:
        out.append('<p class="muted">Nothing at or above this severity.</p>')
    else:
        out.append('<table class="list"><thead><tr><th>severity</th><th>kind</th><th>where</th>'
                   '<th class="num">line</th>'
                   '<th>message</th><th class="num">score</th><th>excerpt</th></tr></thead><tbody>')
        for f in sorted(shown, key=lambda f: (-f.severity.rank, f.sort_key())):
            fid, v = ids[id(f)], f.severity.value
            where = e(location(f).rsplit(" l.", 1)[0])
            link = f'<a href="#{fid}">{where}</a>' if fid in placed else where
            ev = "".join(f"<dt>{e(k)}</dt><dd>{_value(x)}</dd>" for k, x in f.evidence.items())
            ev = f'<details><summary>evidence</summary><dl class="ev">{ev}</dl></details>' if ev else ""
            out.append(f'<tr id="r-{fid}" data-kind="{e(f.kind)}" data-sev="{v}" data-lang="{e(f.lang)}">'
                       f'<td class="sv sev-{v}">{v}</td><td><code>{e(f.kind)}</code></td><td class="where">{link}</td>'
                       f'<td class="num">{f.line or ""}</td><td><span class="msg">{e(f.message)}</span>{ev}</td>'
                       f'<td class="num">{f.score:.2f}</td><td>“{e(excerpt(f.text, 60))}”</td></tr>')
        out.append("</tbody></table>")
    return "\n".join(out) + "</section>", len(shown)


def _filters(corpus: Corpus, min_severity: str) -> str:
    shown = at_least(corpus.findings, min_severity)
    facets = [("sev", "severity", [v for v in SEVERITIES if any(f.severity.value == v for f in shown)]),
              ("kind", "kind", sorted({f.kind for f in shown})),
              ("lang", "language", list(dict.fromkeys(r.lang for d in corpus.documents for r in d.renderings)))]
    value = {"sev": lambda f: f.severity.value, "kind": lambda f: f.kind, "lang": lambda f: f.lang}
    out = ['<form class="filters" hidden onsubmit="return false">']
    for name, label, values in facets:
        count = Counter(value[name](f) for f in shown)
        out.append(f"<fieldset><legend>{label}</legend>")
        for v in values:
            cls = f' class="sv sev-{v}"' if name == "sev" else ""
            out.append(f'<label{cls}><input type="checkbox" name="{name}" value="{e(v)}" checked>{e(v)} '
                       f'<span class="muted">{count[v]}</span></label>')
        out.append("</fieldset>")
    out.append(f'<span class="muted"><output id="shown">{len(shown)}</output> of {len(shown)} findings shown</span>'
               "</form>")
    return "".join(out)


def render(corpus: Corpus, min_severity: str = "warning", **_: Any) -> str:
    names = [d.name for d in corpus.documents if d.name]
    title = "consistency — " + (", ".join(names) if names else "report")
    docs = [_document(d, r, min_severity)[0] for d, r in enumerate(corpus.documents)]
    legend = " ".join(f'<span class="key sev-{v}">{v}</span>' for v in SEVERITIES)
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{e(title)}</title>",
             f"<style>{CSS}</style></head><body>",
             f'<header><h1>{e(title)}</h1><div class="sub">consistency {e(__version__)} · '
             f"highlighted: {e(min_severity)} and above · {legend} · hover a highlight for its message, "
             "click it for the evidence"
             + (f" · {corpus.baselined} known finding(s) left out by the baseline" if corpus.baselined else "")
             + "</div></header>", _filters(corpus, min_severity), *docs]
    if corpus.unmatched:
        parts.append('<section class="unmatched"><h2>Files with no counterpart</h2><table class="list"><thead><tr>'
                     "<th>file</th><th>lang</th><th>reason</th></tr></thead><tbody>" + "".join(
                         f'<tr><td class="path">{e(u.path)}</td><td>{e(u.lang)}</td><td>{e(u.reason)}</td></tr>'
                         for u in corpus.unmatched) + "</tbody></table></section>")
    parts.append(f"<script>{JS}</script></body></html>")
    return "\n".join(parts) + "\n"
