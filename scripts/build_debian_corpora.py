#!/usr/bin/env python3
"""Build clean paragraph-parallel corpora from Debian's packaged translated documentation (for `consistency bench`).

Every corpus is real human translation that Debian ships as packages; the packages are fetched with
`apt-get download` (no install, no root needed for the download itself) and unpacked with `dpkg-deb -x`:

  handbook    The Debian Administrator's Handbook (`debian-handbook`: publican HTML, one folder per language,
              en-US, de-DE, fr-FR, id-ID, es-ES, it-IT, pt-BR, nl-NL ...).
  faq         The Debian FAQ (`debian-faq` and `debian-faq-de`, `-fr`, `-it`, `-nl`, `-pt`: DocBook HTML).
  devref      The Debian Developer's Reference (`developers-reference` and `-de`, `-fr`, `-it`: Sphinx HTML).
  installer   The Debian Installation Guide (`installation-guide-amd64`: DocBook HTML, one folder per language).
  maintguide  The Debian New Maintainers' Guide (`maint-guide` and `maint-guide-de`, `-fr`, `-it`, `-es`: DocBook HTML).
  aptitude    The aptitude user's manual (`aptitude-doc-en` and `-fr`, `-it`, `-es`, `-nl`: DocBook HTML, one page per
              subsection).
  apphelp     GNOME applications' help (Mallard pages of evince, gedit, gnome-terminal, seahorse, games ...: the
              `/usr/share/help/<lang>/<app>/` folders of ~30 packages); not GNOME's user help.
  catalogues  User-interface messages from the compiled gettext catalogues (.mo) of common packages: English is the
              msgid, a document is one package's catalogue, a paragraph is one prose-like message.

All the manuals are translated with po4a or publican, which keep the English block structure. For each HTML page
the block-level text (headings, paragraphs, list items, definition terms and descriptions, table cells) is
extracted with lxml, dropping navigation, tables of contents, index terms and code/screen/pre blocks; the page is
cut into sections at its headings, and a language is kept for a section only when its sequence of block kinds is
exactly the English one (a mismatch means another upstream version or a reworked translation). Blocks left
untranslated (identical to the English and at least four words long), blocks identical in every language (URLs,
identifiers), blocks a translation repeats from the neighbouring block and blocks whose translation is less than
0.4 or more than 2.5 times as long as the English (merged or half-done blocks) are dropped from every language of
the section; a language with many untranslated blocks (over 20%) is dropped from the section instead. Consecutive
sections are then merged into documents of a useful size. The result has the layout of `build_manpage_corpus.py`:

    corpora/<corpus>/<document>/{en,de,fr,id,...}.txt     one paragraph per line, paragraph i of every file
                                                           being the translation of paragraph i of en.txt

Excluded on purpose (kept for independent checks): GNOME's user help (`gnome-user-docs`) and the Debian Reference
(`debian-reference-*`). The corpora are third-party text under their own licences: built on demand, never committed.

    python scripts/build_debian_corpora.py handbook [--out corpora/handbook] [--max-docs 250] [--langs de,fr,id]
    python scripts/build_debian_corpora.py catalogues --langs de,fr,id --min-langs 3 --out corpora/catalogues-de-fr-id
    python scripts/build_debian_corpora.py all          # every corpus, default languages, into corpora/<corpus>
"""
from __future__ import annotations

import argparse
import gettext
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree, html

# --- fetching ----------------------------------------------------------------------------------------------------


def fetch(workdir: Path, package: str) -> Path | None:
    """Download one package and unpack it under workdir/<package>; None when the archive has no such package."""
    target = workdir / package
    if target.exists():
        return target
    proc = subprocess.run(["apt-get", "download", package], cwd=workdir, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    debs = sorted(workdir.glob(f"{package}_*.deb"))
    if proc.returncode != 0 or not debs:
        print(f"  skipped {package}: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'not found'}",
              file=sys.stderr)
        return None
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(target)], check=True)
    debs[0].unlink()
    return target


# --- HTML blocks -------------------------------------------------------------------------------------------------

# Elements that stay inside a paragraph; every other element is a block boundary.
INLINE = {"a", "abbr", "acronym", "b", "big", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "font", "i",
          "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "tt", "u",
          "var", "wbr", "time"}
SKIP_TAGS = {"head", "script", "style", "pre", "nav", "footer", "img", "svg", "math", "form", "button", "select",
             "textarea", "noscript", "object", "iframe"}
# Navigation, tables of contents, index terms, code blocks and permalinks (DocBook XSL, publican, Sphinx).
SKIP_CLASSES = {
    "navheader", "navfooter", "docnav", "toc", "list-of-tables", "list-of-figures", "list-of-examples", "indexterm",
    "related", "sphinxsidebar", "sphinxsidebarwrapper", "footer", "toctree-wrapper", "highlight", "headerlink",
    "screen", "programlisting", "synopsis", "literallayout", "cmdsynopsis", "funcsynopsis", "mediaobject",
    "inlinemediaobject", "callout", "calloutlist", "language_switcher_placeholder", "literal-block-wrapper", "doctest",
    "index", "legalnotice", "revhistory", "copyright", "authorgroup", "author", "othercredit", "editor", "pubdate",
    "releaseinfo", "printhistory",
}
SKIP_IDS = {"banner", "title", "searchbox"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LETTER = re.compile(r"[^\W\d_]")
UNTRANSLATED_WORDS = 4
MAX_UNTRANSLATED = 0.2
ODD_LENGTH_MIN, ODD_LENGTH_RATIO = 60, (0.4, 2.5)


@dataclass
class Block:
    kind: str  # owner element's tag (and class) — the structure two renderings must share
    text: str
    level: int = 0  # heading level, 0 for body text


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def blocks(path: Path) -> list[Block]:
    """The block-level text of an HTML page, in document order, whitespace collapsed."""
    root = html.fromstring(path.read_bytes(), parser=html.HTMLParser(encoding="utf-8", remove_comments=True))
    body = root.find(".//body")
    out: list[Block] = []
    buf: list[str] = []
    owners: list[tuple[str, int]] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buf)).strip()
        buf.clear()
        if text and owners:
            out.append(Block(owners[-1][0], text, owners[-1][1]))

    def visit(el: etree._Element) -> None:
        tag = _local(el.tag)
        if not tag or tag in SKIP_TAGS or _classes(el) & SKIP_CLASSES or el.get("id") in SKIP_IDS:
            return
        if tag in INLINE:
            buf.append(" " if tag == "br" else (el.text or ""))
            for child in el:
                visit(child)
                buf.append(child.tail or "")
            return
        flush()
        cls = sorted(_classes(el) & {"para", "title", "term", "admonition-title"})
        owners.append((tag + ("." + cls[0] if cls else ""), HEADINGS.get(tag, 0)))
        buf.append(el.text or "")
        for child in el:
            visit(child)
            buf.append(child.tail or "")
        flush()
        owners.pop()

    if body is not None:
        visit(body)
    return out


MALLARD = "{http://projectmallard.org/1.0/}"
# Mallard elements whose text is one paragraph; everything else is a container or inline.
MALLARD_BLOCKS = {"title", "subtitle", "p", "desc"}
# Metadata, images and code or terminal blocks (block-level <code> and <screen>) carry no prose to compare.
MALLARD_SKIP = {"info", "media", "comment", "screen"}
# How Yelp renders the inline sequences (Mallard 1.0 spec, keyseq and guiseq).
MALLARD_JOINERS = {"keyseq": "+", "guiseq": " ▸ "}


def mallard_titles(folder: Path) -> dict[str, str]:
    """Page id → the page's title, for the links Yelp fills in with their target's title (<link xref="x"/>)."""
    titles = {}
    for path in sorted(folder.glob("*.page")):
        root = etree.parse(str(path)).getroot()
        title = root.find(f"{MALLARD}title")
        if title is not None:
            titles[root.get("id") or path.stem] = re.sub(r"\s+", " ", "".join(title.itertext())).strip()
    return titles


def mallard_blocks(path: Path) -> list[Block]:
    """The paragraphs of a Mallard page (GNOME's application help), in document order, whitespace collapsed.

    Page titles are headings of level 1 and section titles of level 2, so that a page is cut into its sections.
    """
    root = etree.parse(str(path)).getroot()
    titles = mallard_titles(path.parent)
    out: list[Block] = []

    def render(el: etree._Element) -> str:
        tag = _local(el.tag)
        if tag in MALLARD_SKIP:
            return ""
        if tag in MALLARD_JOINERS:
            return MALLARD_JOINERS[tag].join(render(c) for c in el if _local(c.tag))
        inner = (el.text or "") + "".join(render(c) + (c.tail or "") for c in el)
        if tag == "link" and not inner.strip() and el.get("xref"):
            return titles.get(el.get("xref").split("#")[0], "")
        return inner

    def visit(el: etree._Element) -> None:
        tag = _local(el.tag)
        if not tag or tag in MALLARD_SKIP or (tag == "code" and el.getparent() is not None
                                                and _local(el.getparent().tag) not in MALLARD_BLOCKS):
            return
        if tag in MALLARD_BLOCKS:
            text = re.sub(r"\s+", " ", render(el)).strip()
            parent = _local(el.getparent().tag)
            level = {"page": 1, "section": 2}.get(parent, 0) if tag == "title" else 0
            if text and el.get("type") != "sort":
                out.append(Block(f"{tag}.{parent}", text, level))
            return
        for child in el:
            visit(child)

    visit(root)
    return out


def sections(page: list[Block], split_level: int) -> list[list[Block]]:
    """The page cut before every heading of level <= split_level (text before the first heading is its own part)."""
    parts: list[list[Block]] = [[]]
    for b in page:
        if 0 < b.level <= split_level and parts[-1]:
            parts.append([])
        parts[-1].append(b)
    return [p for p in parts if p]


def _untranslated(en: str, tr: str) -> bool:
    return en == tr and len(en.split()) >= UNTRANSLATED_WORDS


def odd_length(en: str, tr: str) -> bool:
    """A translation far shorter or longer than its source: usually two blocks merged or one left half done."""
    return len(en) >= ODD_LENGTH_MIN and not ODD_LENGTH_RATIO[0] < len(tr) / len(en) < ODD_LENGTH_RATIO[1]


def _repeated(en: list[str], tr: list[str], k: int) -> bool:
    """A translated block copied onto its neighbour's place (a translator's slip) although the English differs."""
    return any(0 <= j < len(en) and tr[j] == tr[k] and en[j] != en[k] for j in (k - 1, k + 1))


@dataclass
class Section:
    name: str
    rows: dict[str, list[str]]  # lang -> paragraphs, all the same length

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(sorted(self.rows))


@dataclass
class Stats:
    compared: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    stale: Counter = field(default_factory=Counter)

    def report(self) -> str:
        return ", ".join(f"{lang} {self.matched[lang]}/{self.compared[lang]} sections match"
                         + (f" ({self.stale[lang]} dropped as untranslated)" if self.stale[lang] else "")
                         for lang in sorted(self.compared))


def align_page(name: str, pages: dict[str, Path], split_level: int, stats: Stats,
               reader: Callable[[Path], list[Block]] = blocks) -> list[Section]:
    """One page in every language → its sections, each with the languages whose structure matches English."""
    en_parts = sections(reader(pages["en"]), split_level)
    others = {}
    for lang, path in pages.items():
        if lang != "en":
            others[lang] = sections(reader(path), split_level)
    out = []
    for i, en in enumerate(en_parts):
        shape = [b.kind for b in en]
        rows = {"en": [b.text for b in en]}
        for lang, parts in sorted(others.items()):
            stats.compared[lang] += 1
            # Sections are paired by position, so the page must have as many of them as the English one.
            if len(parts) == len(en_parts) and [b.kind for b in parts[i]] == shape:
                stats.matched[lang] += 1
                rows[lang] = [b.text for b in parts[i]]
        keep = [k for k in range(len(shape)) if LETTER.search(rows["en"][k])
                and all(LETTER.search(r[k]) for r in rows.values())]
        for lang in [lang for lang in rows if lang != "en"]:
            stale = sum(_untranslated(rows["en"][k], rows[lang][k]) for k in keep)
            if keep and stale / len(keep) > MAX_UNTRANSLATED:
                stats.stale[lang] += 1
                del rows[lang]
        # Rows left in English somewhere, and rows the same in every language (URLs, identifiers), go everywhere.
        keep = [k for k in keep if not any(_untranslated(rows["en"][k], r[k]) for lang, r in rows.items()
                                           if lang != "en")
                and (len(rows) == 1 or any(r[k] != rows["en"][k] for r in rows.values()))
                and not any(_repeated(rows["en"], r, k) or odd_length(rows["en"][k], r[k])
                            for lang, r in rows.items() if lang != "en")]
        if keep:
            out.append(Section(f"{name}-{i:02d}", {lang: [r[k] for k in keep] for lang, r in rows.items()}))
    return out


def merge(sections_: Iterable[Section], min_paras: int, max_paras: int, min_langs: int) -> list[Section]:
    """Consecutive sections with the same languages joined until a document has at least min_paras paragraphs."""
    docs: list[Section] = []
    current: Section | None = None
    for s in sections_:
        if len(s.langs) < min_langs + 1:
            continue
        if current is not None and current.langs == s.langs and len(current.rows["en"]) < min_paras \
                and len(current.rows["en"]) + len(s.rows["en"]) <= max_paras:
            for lang in current.rows:
                current.rows[lang] += s.rows[lang]
            continue
        if current is not None:
            docs.append(current)
        current = Section(s.name, {lang: list(r) for lang, r in s.rows.items()})
    if current is not None:
        docs.append(current)
    return [d for d in docs if len(d.rows["en"]) >= min(min_paras, 4) and len(d.rows["en"]) <= max_paras]


# --- writing -----------------------------------------------------------------------------------------------------


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def write(out: Path, docs: list[Section], max_docs: int) -> None:
    """Write up to max_docs documents (those with the most languages first, then in name order) and report."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    chosen = sorted(docs, key=lambda d: (-len(d.langs), d.name))[:max_docs]
    per_lang: Counter = Counter()
    paras: Counter = Counter()
    for doc in sorted(chosen, key=lambda d: d.name):
        folder = out / re.sub(r"[^A-Za-z0-9._-]+", "_", doc.name)
        folder.mkdir()
        n = len(doc.rows["en"])
        for lang, rows in doc.rows.items():
            assert len(rows) == n, (doc.name, lang)
            (folder / f"{lang}.txt").write_text("\n".join(clean_line(r) for r in rows) + "\n", encoding="utf-8")
            per_lang[lang] += 1
            paras[lang] += n
    print(f"wrote {len(chosen)} documents to {out}")
    for lang in sorted(per_lang, key=lambda x: (x != "en", x)):
        print(f"  {lang}: {per_lang[lang]} documents, {paras[lang]} paragraphs")


# --- the manuals -------------------------------------------------------------------------------------------------


@dataclass
class Manual:
    """Where one manual's HTML lives: packages to fetch, and per language a function root -> {page key: path}."""
    packages: Callable[[list[str]], list[str]]
    pages: Callable[[Path, str], dict[str, Path]]
    split_level: int
    min_paras: int = 8
    skip_pages: frozenset[str] = frozenset()
    reader: Callable[[Path], list[Block]] = blocks


def _handbook_pages(root: Path, lang: str) -> dict[str, Path]:
    base = root / "debian-handbook/usr/share/doc/debian-handbook/html"
    folder = next((d for d in sorted(base.glob(f"{lang}-*")) if d.is_dir()), None) if lang != "en" else base / "en-US"
    return {p.stem: p for p in sorted(folder.glob("*.html"))} if folder else {}


def _faq_pages(root: Path, lang: str) -> dict[str, Path]:
    if lang == "en":
        folder = root / "debian-faq/usr/share/doc/debian/FAQ"
        return {p.name.removesuffix(".en.html"): p for p in sorted(folder.glob("*.en.html"))}
    folder = root / f"debian-faq-{lang}/usr/share/doc/debian/FAQ/{lang}"
    return {p.name.removesuffix(f".{lang}.html"): p for p in sorted(folder.glob(f"*.{lang}.html"))}


def _devref_pages(root: Path, lang: str) -> dict[str, Path]:
    folder = (root / "developers-reference/usr/share/developers-reference" if lang == "en"
              else root / f"developers-reference-{lang}/usr/share/developers-reference/{lang}")
    return {p.stem: p for p in sorted(folder.glob("*.html"))}


def _installer_pages(root: Path, lang: str) -> dict[str, Path]:
    folder = root / "installation-guide-amd64/usr/share/doc/installation-guide-amd64" / lang
    return {p.stem: p for p in sorted(folder.glob("*.html"))}


def _maintguide_pages(root: Path, lang: str) -> dict[str, Path]:
    package = "maint-guide" if lang == "en" else f"maint-guide-{lang}"
    folder = root / package / "usr/share/doc" / package / "html"
    return {p.name.removesuffix(f".{lang}.html"): p for p in sorted(folder.glob(f"*.{lang}.html"))}


def _aptitude_pages(root: Path, lang: str) -> dict[str, Path]:
    # Preface, chapters and reference entries only: the ld-idm*.html pages are screenshots (one <pre>) whose names
    # are generated ids that differ between languages.
    folder = root / f"aptitude-doc-{lang}/usr/share/doc/aptitude/html/{lang}"
    return {p.stem: p for pattern in ("pr*.html", "ch*.html", "rn*.html") for p in sorted(folder.glob(pattern))}


# GNOME applications' help (Mallard, translated with itstool from PO files, so every language keeps the English
# structure). Not GNOME's user help (gnome-user-docs), which is kept for independent checks.
APPHELP_PACKAGES = ["baobab", "cheese-common", "eog", "evince-common", "file-roller", "gedit-common", "gnome-boxes",
                    "gnome-calculator", "gnome-clocks", "gnome-logs", "gnome-mahjongg", "gnome-sudoku",
                    "gnome-system-monitor", "gnome-terminal-data", "gnome-tetravex", "hitori", "lightsoff",
                    "quadrapassel", "seahorse", "simple-scan", "swell-foop", "totem-common", "five-or-more",
                    "four-in-a-row", "gnome-chess", "gnome-mines", "gnome-nibbles", "gnome-robots", "iagno"]
HELP_FOLDERS = {"en": "C", "pt": "pt_BR"}


def _apphelp_pages(root: Path, lang: str) -> dict[str, Path]:
    pages = {}
    for package in APPHELP_PACKAGES:
        base = root / package / "usr/share/help" / HELP_FOLDERS.get(lang, lang)
        for path in sorted(base.glob("*/*.page")):
            pages[f"{path.parent.name}-{path.stem}"] = path
    return pages


MANUALS = {
    "handbook": Manual(lambda langs: ["debian-handbook"], _handbook_pages, split_level=3),
    "faq": Manual(lambda langs: ["debian-faq"] + [f"debian-faq-{lang}" for lang in langs], _faq_pages,
                  split_level=2, min_paras=6),
    "devref": Manual(lambda langs: ["developers-reference"] + [f"developers-reference-{lang}" for lang in langs],
                     _devref_pages, split_level=3,
                     skip_pages=frozenset({"search", "genindex", "index", "developers-reference"})),
    "installer": Manual(lambda langs: ["installation-guide-amd64"], _installer_pages, split_level=3),
    "maintguide": Manual(lambda langs: ["maint-guide"] + [f"maint-guide-{lang}" for lang in langs], _maintguide_pages,
                         split_level=3, skip_pages=frozenset({"index"})),
    # One HTML page per subsection already; level 4 also cuts the long reference pages at their subheadings (the
    # list of configuration options stays one section of ~420 blocks, over --max-paras, so it is left out).
    "aptitude": Manual(lambda langs: [f"aptitude-doc-{lang}" for lang in ["en", *langs]], _aptitude_pages,
                       split_level=4),
    # A topic page is short: whole pages (level 1) are the sections, merged into documents of 8+ paragraphs.
    "apphelp": Manual(lambda langs: APPHELP_PACKAGES, _apphelp_pages, split_level=1, reader=mallard_blocks),
}
DEFAULT_LANGS = {
    "handbook": "de,fr,id,es,it,pt,nl",
    "faq": "de,fr,it,nl,pt",
    "devref": "de,fr,it",
    "installer": "de,fr,id,es,it,pt,nl",
    "maintguide": "de,fr,it,es",
    "aptitude": "fr,it,es,nl",
    "catalogues": "de,fr,id,es,it,pt,nl",
    "apphelp": "de,fr,id,es,it,pt,nl",
}


def build_manual(name: str, workdir: Path, langs: list[str], min_langs: int, max_paras: int) -> list[Section]:
    manual = MANUALS[name]
    for package in manual.packages(langs):
        fetch(workdir, package)
    available = {lang: manual.pages(workdir, lang) for lang in ["en", *langs]}
    missing = [lang for lang in langs if not available[lang]]
    if missing:
        print(f"  no {name} pages for: {', '.join(missing)}", file=sys.stderr)
    stats = Stats()
    found: list[Section] = []
    for key in sorted(available["en"]):
        if key in manual.skip_pages:
            continue
        pages = {lang: got[key] for lang, got in available.items() if key in got}
        if len(pages) < min_langs + 1:
            continue
        found += align_page(key, pages, manual.split_level, stats, manual.reader)
    print(f"  structure: {stats.report()}")
    return merge(found, manual.min_paras, max_paras, min_langs)


# --- gettext catalogues ------------------------------------------------------------------------------------------

CATALOGUE_PACKAGES = [
    "apt", "aptitude", "bash", "binutils-common", "coreutils", "cpio", "debconf-i18n", "diffutils", "dpkg", "e2fsprogs",
    "findutils", "gawk", "gdb", "gettext", "gettext-base", "git", "gnupg-l10n", "gpg", "grep", "gzip", "libc-l10n",
    "make", "man-db", "mc-data", "nano", "parted", "passwd", "procps", "psmisc", "sed", "sharutils", "sudo", "tar",
    "texinfo", "util-linux-locales", "util-linux", "wdiff", "wget", "xz-utils", "bison", "libgpg-error-l10n",
    "tasksel-data", "gnutls-bin", "cryptsetup-bin", "libpam-modules", "policykit-1", "dialog", "whiptail", "less",
    "lvm2", "rsync", "zstd", "screen", "shared-mime-info", "network-manager", "cups-common", "gimp-data",
]
# msgfmt-style placeholders, and messages that are nothing but an option list or a usage line.
PLACEHOLDER = re.compile(r"%(\d+\$)?[-+ #0']*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspnm%]"
                         r"|\$\{?\w+\}?|\{\w*\}|<[^>]+>|--?[\w-]+")
MIN_WORDS = 3


def prose_words(msg: str) -> int:
    """Words of a message once placeholders, options and punctuation are gone."""
    return len([w for w in PLACEHOLDER.sub(" ", msg).split() if LETTER.search(w) and len(w) > 1])


def read_mo(path: Path) -> dict[str, str]:
    """msgid → translation of a compiled catalogue (msgfmt leaves fuzzy entries out); plurals and contexts skipped."""
    with path.open("rb") as fh:
        try:
            catalog = gettext.GNUTranslations(fh)._catalog  # noqa: SLF001 — the only way to list a .mo's entries
        except (OSError, UnicodeDecodeError, ValueError):
            return {}
    return {k: v for k, v in catalog.items() if isinstance(k, str) and k and "\x04" not in k and isinstance(v, str)}


def usable(msg: str) -> bool:
    return prose_words(msg) >= MIN_WORDS and "\t" not in msg and not msg.lstrip().startswith(("-", "Usage", "usage"))


def build_catalogues(workdir: Path, langs: list[str], min_langs: int, max_paras: int) -> list[Section]:
    """One document per text domain: the messages translated (non-empty) in every language kept for it.

    A catalogue is sorted by msgid; one with more than max_paras usable messages is sampled evenly down to that.
    The gnulib domains that several packages ship (bison-gnulib, wget-gnulib ...) are near-copies and skipped.
    """
    domains: dict[str, dict[str, Path]] = {}
    for package in CATALOGUE_PACKAGES:
        root = fetch(workdir, package)
        if root is None:
            continue
        for lang in langs:
            for mo in sorted((root / "usr/share/locale" / lang / "LC_MESSAGES").glob("*.mo")):
                domains.setdefault(mo.stem, {}).setdefault(lang, mo)
    docs = []
    for domain, files in sorted(domains.items()):
        if domain.endswith("-gnulib"):
            continue
        cats = {lang: read_mo(path) for lang, path in sorted(files.items())}
        cats = {lang: c for lang, c in cats.items() if c}
        if len(cats) < min_langs:
            continue
        # Drop the languages that would shrink the shared message set by more than half (stale catalogues).
        def shared(keep: Iterable[str]) -> list[str]:
            keep = list(keep)
            return sorted(m for m in cats[keep[0]] if usable(m)
                          and all(cats[lang].get(m, "").strip() and cats[lang][m] != m
                                  and not odd_length(m, cats[lang][m]) for lang in keep))
        kept = sorted(cats, key=lambda lang: -len(cats[lang]))
        while len(kept) > min_langs and len(shared(kept)) < 0.5 * len(shared(kept[:min_langs])):
            kept.pop()
        msgids = shared(kept)
        if len(msgids) < 8:
            continue
        if len(msgids) > max_paras:
            msgids = [msgids[i * len(msgids) // max_paras] for i in range(max_paras)]
        rows = {"en": [clean_line(m) for m in msgids]}
        for lang in sorted(kept):
            rows[lang] = [clean_line(cats[lang][m]) for m in msgids]
        docs.append(Section(domain, rows))
    return docs


# --- command line ------------------------------------------------------------------------------------------------

CORPORA = ["handbook", "faq", "devref", "installer", "maintguide", "aptitude", "catalogues", "apphelp"]
DEFAULT_MAX_DOCS = {"handbook": 250, "faq": 150, "devref": 150, "installer": 150, "maintguide": 100, "aptitude": 100,
                    "catalogues": 80, "apphelp": 150}


def build(corpus: str, out: Path, max_docs: int, max_paras: int, langs: list[str], min_langs: int,
          cache: Path | None) -> None:
    print(f"{corpus}: languages {','.join(langs)}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = cache or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if corpus == "catalogues":
            docs = build_catalogues(workdir, langs, min_langs, max_paras)
        else:
            docs = build_manual(corpus, workdir, langs, min_langs, max_paras)
        write(out, docs, max_docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:18]))
    parser.add_argument("corpus", choices=[*CORPORA, "all"])
    parser.add_argument("--out", type=Path, help="output folder (default corpora/<corpus>; with 'all', the parent)")
    parser.add_argument("--max-docs", type=int, help="at most this many documents (default per corpus)")
    parser.add_argument("--langs", help="translations to keep, comma-separated ISO 639-1 codes (default per corpus)")
    parser.add_argument("--min-langs", type=int, default=2,
                        help="a document needs at least this many translations besides English (default 2)")
    parser.add_argument("--max-paras", type=int, default=300,
                        help="longest document: manual sections beyond it are left out, catalogues are sampled down "
                             "to it (default 300)")
    parser.add_argument("--cache", type=Path, help="keep the downloaded packages here (default: a temporary folder)")
    args = parser.parse_args()
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        sys.exit("needs apt-get and dpkg-deb (Debian or Ubuntu)")
    for corpus in CORPORA if args.corpus == "all" else [args.corpus]:
        if args.corpus == "all":
            out = (args.out or Path("corpora")) / corpus
        else:
            out = args.out or Path("corpora") / corpus
        langs = (args.langs or DEFAULT_LANGS[corpus]).split(",")
        build(corpus, out, args.max_docs or DEFAULT_MAX_DOCS[corpus], args.max_paras, langs, args.min_langs,
              args.cache)


if __name__ == "__main__":
    main()
