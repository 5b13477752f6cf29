"""Glued words: two words, or two sentences, written without the space between them."""
from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterator

import regex

from consistency.checks.anchors import CAPITALISED_NOUNS
from consistency.checks.base import Check, Context, register
from consistency.checks.placeholders import PLACEHOLDER
from consistency.checks.text import (COMPOUNDING, CORE_FUNCTION_ZIPF, ENDINGS, SPACED_LETTER, LangSet, LangTable,
                                     base, borrowed, fold, has_wordlist, is_function_word, similar_names, tokens,
                                     word_forms, zipf)
from consistency.lexicon import known, lemma, lower_case_form
from consistency.model import Finding, Severity

# Frequency (Zipf) above which a piece counts as a word of the language: ~1 per million words.
GLUE_PART_ZIPF = 3.0
# Lower bar for the second part: long inflected words are rarer ('affaiblissant' 2.5, 'Voreinstellung' 2.1).
GLUE_TAIL_ZIPF = 2.0
# Productive prefixes written solid ('semikonduktor', 'multinational'): a known prefix plus a word is one word.
PREFIXES = {"semi", "multi", "anti", "non", "pre", "post", "inter", "super", "ultra", "mega", "micro", "mini", "auto",
            "bio", "eco", "geo", "neo", "pro", "sub", "trans", "hyper", "tele", "para", "meta", "poli", "infra",
            "extra", "contra", "counter", "over", "under", "out", "self", "pseudo", "proto", "mono", "bi", "tri",
            "milli", "mili", "kilo", "centi", "deci", "nano", "giga", "hydro", "hidro", "photo", "foto", "electro",
            "elektro", "thermo", "termo", "aero", "agro", "astro", "cyber", "radio", "video", "audio", "homo", "hetero",
            "poly", "omni", "quasi", "vice", "inter", "intra", "retro", "socio", "psycho", "psiko", "neuro", "techno",
            "macro", "makro"}
# (Looked up without accents: French writes its prefixes with them, 'rétro|portés', 'télé|chargé'.)
# Parts of a content+content glue in a closed-compound language must be this common (ten per million words).
CLOSED_PART_ZIPF = 4.0
# English writes compounds solid too ('kingfishers', 'database'): like German, only a function word gives glue away.
CLOSED_COMPOUNDS = LangSet(COMPOUNDING | {"en"})
PLAIN_PAIR_LANGS = LangSet({"en"})
# Derivational prefixes that look like words of their own (Indonesian 'peng|kritik', 'ber|kembang').
LANG_PREFIXES = {
    "id": {"me", "mem", "men", "meng", "meny", "menge", "pe", "pem", "pen", "peng", "peny", "per", "ber", "ter", "di",
           "ke", "se", "memper", "diper", "ku", "kau"},
    "fr": {"entre", "sur", "sous", "contre", "auto"},
    # Prepositions that are also productive prefixes ('sottomenu', 'sobrecarga').
    "it": {"sotto", "sopra", "contro", "ri", "tra"},
    "es": {"sobre", "contra", "entre", "sub"},
    "pt": {"sobre", "contra", "entre", "sub"},
}
# Glued tokens are rare but not unknown: web text has the typos too ('aufden' 2.1).
GLUED_MAX_ZIPF = 2.5
# A glue that is not evident (a warning) must also be rarer than this: web text keeps typos and run-together words
# up to ~1.4 ('harddisk' 1.36, 'verica' 1.35, 'diffetto' 1.06), while the derivations and loanwords the dictionaries
# lack are used more ('avviabile' 1.6, 'secuencialmente' 2.0, 'reindirizzamento' 2.2): 12 of the 36 false glue
# warnings of the eight audits, none of the 31 real ones.
UNSURE_GLUE_MAX_ZIPF = 1.5
# With a function word at one end, the other part only has to be a word at all ('nicht|umgebrochen' 1.7).
STRONG_PART_ZIPF = 1.0
# A capitalised tail this long may be a compound wordfreq lacks ('Versionsinformationen').
LONG_TAIL = 8
# Separable and inseparable verb particles: function words that also begin compounds ('auf|gabe', 'vor|stellung').
PARTICLES = {"de": {"vor", "auf", "an", "ab", "aus", "ein", "mit", "nach", "um", "zu", "über", "unter", "durch", "bei",
                    "gegen", "hinter", "wider", "zurück", "weg", "hin", "her", "da", "dar", "fort", "los", "nieder",
                    "vorbei", "heraus", "herum", "hinaus", "ent", "ver", "zer", "be", "ge", "er", "in", "ob", "wo"},
             # ... and the pronominal adverbs, which fuse with a preposition and then with a participle
             # ('eropvolgende', 'daaropvolgend': one word; aptitude audit).
             "nl": {"aan", "af", "bij", "door", "in", "mee", "na", "om", "onder", "op", "over", "toe", "uit", "voor",
                    "weg", "terug", "samen", "vast", "neer", "open", "thuis", "er", "hier", "daar", "waar"}}
# Suffixes of borrowed nouns, never a second word of a glue: Indonesian takes '-si' words whole ('ekstraksi',
# 'diekstraksi': catalogue audit). (Not inflections: a word cut before them is still cut, so not in ENDINGS.)
LOAN_SUFFIXES = {"id": ("si",)}
# Lower-case letters after an acronym, fewer than this, are a suffix ('GNUish', 'PDFs'; the FAQ's 'GNUish' was
# a false error), not a word run into it ('BERKASadalah', 'IPCobjects').
ACRONYM_SUFFIX_MAX = 4
# Both parts of a name-plus-word glue must be this long ('fürGNU' has 3 and 3).
SHARED_PART = 3
# Halves of a self-evident glue ('Firmware|eventuell'): shorter halves are syllables that happen to be words.
SELF_PART = 4
# Without capitals to mark the name, the word after it must be longer than any suffix ('compress|era').
SHARED_TAIL = 5
# A glued form repeated in a rendering is a term of its own ('outputpath' as a metavariable), not an accident.
MAX_REPEATS = 1
# A word whose cognate another rendering has is one word ('decarbonizzare' beside 'decarbonise', 'dekarbonisieren'):
# the first COGNATE_STEM letters equal and a difflib ratio of COGNATE_RATIO or more (cognates across Romance and
# Germanic languages score 0.75-0.9, unrelated words of the same start under 0.6).
COGNATE_MIN = 6
COGNATE_STEM = 5
COGNATE_RATIO = 0.75
# ... four letters in the aligned counterpart itself (see _aligned_cognate).
ALIGNED_COGNATE_STEM = 4
_CASE_GLUE = regex.compile(r"\p{Ll}{2,}\p{Lu}\p{Ll}+|\p{Lu}{2,}\p{Ll}{3,}")
# Between letters of scripts that space their words: Chinese and Japanese set quotation marks between characters
# ('他说“你好”'), Korean particles follow a closing quote ('"안녕"이라고').
_CASED_OR_SPACED = SPACED_LETTER[:-1] + r"--\p{Hangul}]"
_QUOTE_GLUE = regex.compile(rf"(?<={_CASED_OR_SPACED})[«“„\"](?={_CASED_OR_SPACED})", regex.V1)
# The capitalised word must end there: 'org.freedesktop.NetworkManager.vpnc' and 'ftp.Ländercode.debian.org' are
# dotted names (sentencex no longer cuts where no space follows the stop, so they reach this check whole).
_SENTENCE_GLUE = regex.compile(r"(?<=\p{Ll}{2})[.!?](?=\p{Lu}\p{Ll}+(?![\p{L}\p{Nd}_/@-]|\.[\p{L}\p{Nd}]))")


@register
class GluedWord(Check):
    kind = "glued_word"
    severity = Severity.ERROR
    description = "two words or sentences written without the space between them ('aufrechterhaltenFür')"

    def run(self, ctx: Context) -> Iterator[Finding]:
        for r in ctx.renderings:
            shared = {w for o in ctx.renderings if o.lang != r.lang for p in o.paragraphs for w in word_forms(p.text)}
            counts = Counter(t.folded for p in r.paragraphs for t in tokens(p.text))
            # Exact forms this rendering writes as words of their own: the two halves of a glued pair usually
            # stand apart elsewhere in the same text ('Firmware' … 'eventuell' beside 'Firmwareeventuell').
            own = {t.text for p in r.paragraphs for t in tokens(p.text)}
            loans = shared | {borrowed(w, r.lang) for w in shared} if r.lang in PREFIX_DERIVING else shared
            loaned = loan_stems(loans) if r.lang in PREFIX_DERIVING else set()
            stems: dict[str, list[str]] = {}
            for w in shared:
                if len(w) >= COGNATE_MIN:
                    # ... and as this language respells a loanword ('symmetric' → 'simetrik': catalogue audit)
                    for form in {w, borrowed(w, r.lang)}:
                        stems.setdefault(form[:COGNATE_STEM], []).append(form)
            elsewhere = None  # the other renderings' text, joined only when a quote or stop glue is found
            for s in r.sentences:
                masked = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(s.text)]
                for t in tokens(s.text):
                    if t.folded in shared or counts[t.folded] > MAX_REPEATS or "-" in t.text or t.unspaced:
                        continue  # (a run of Han, kana or Thai is many words written together, as it should be)
                    if any(a <= t.start < b for a, b in masked):
                        continue  # inside a URL, an address or code ('github.com/TresysTechnology')
                    if s.text[t.end : t.end + 1] == "-":
                        continue  # the first part of a suspended compound ('Standardein- und -ausgabe': devref)
                    if s.text[t.start - 1 : t.start] in ("_", "/") or s.text[t.end : t.end + 1] == "_":
                        continue  # part of an identifier or a path ('foo_alteVersion', '/usr/share/doc/nomepacchetto/');
                        # a path's first part may be glued to the word before it ('il filedebian/control')
                    if t.text[1:].islower() and _derived(t.folded, r.lang, loans, loaned):
                        continue  # the language's prefix on a word the others have ('me|reformat', 'di|ekstraksi')
                    evident = _self_glue(t.text, own, r.lang)
                    seam = bool(evident) and _case_seam(*evident)
                    if not seam and _cognate(t.folded, stems) and not _function_word_onto(t.text, r.lang):
                        continue  # another rendering has the same word in its spelling ('decarbonise', 'filesystem')
                    case = _case_glue(t.text, r.lang)
                    hit = case or _lower_glue(t.text, r.lang) or _shared_glue(t.text, r.lang, shared) or evident
                    # The language's dictionaries have the last word: an inflected form ('exposeront'), a compound
                    # ('Handelsweg') or a derivation is a word, however rare on the web. Not for a capital inside
                    # a word after lower-case letters ('einGebietsschema'): Hunspell folds case and compounds it.
                    inner_capital = bool(case) and case[0][-1:].islower()
                    if hit and t.text[1:].islower() and _loan_verb(t.folded, r.lang, shared):
                        continue  # a verb the language makes of a word the others have ('commit|tata', 'debian|izada')
                    if hit and (inner_capital or not known(t.text, r.lang)):
                        # A counterpart that writes its own words in camel case ('<DebianArchitecture>') makes this
                        # one a translated identifier ('ArchitetturaDebian'): the FAQ's metavariables.
                        # A word in capitals is a file's or a code's name ('LISEZMOI', the French README): info.
                        label = ((_title_pair(t.text) and not _name_of_others(hit, shared))
                                 or (inner_capital and _camel_counterpart(ctx, r.lang, s, own)) or t.text.isupper())
                        sure = not label and _evident(hit, r.lang, case, evident, shared)
                        # A counterpart writing the two halves apart ('hard link' beside Indonesian 'hardlink'): a
                        # borrowed term in its closed spelling, which the source language allows too ('hardlink',
                        # 'filesystem'): cpio's Indonesian catalogue, a false error in the catalogue audit.
                        sure = sure and (bool(case) or seam or not _written_apart(ctx, r.lang, s, hit))
                        # A counterpart with the word in another spelling ('Mandaean' beside French 'mandéen', an
                        # ISO 15924 name: a false error in the Debian .mo audit) leaves it a warning: a respelled name,
                        # or a typo of the shared word ('versone' for 'versione': aptitude audit), which glue catches
                        # too. Not when a half is the others' word itself ('true|in', aptitude): that is glue.
                        sure = sure and (seam or any(len(h) >= 3 and fold(h) in shared for h in hit)
                                         or not _aligned_cognate(ctx, r.lang, s, t.folded))
                        if not sure and zipf(t.text.lower(), r.lang) >= UNSURE_GLUE_MAX_ZIPF:
                            continue  # a derivation the dictionaries lack ('secuencialmente'), not a typo
                        yield ctx.finding(self, r.lang, s, t.text, f"'{t.text}' looks like '{hit[0]} {hit[1]}' "
                                          f"run together", 0.9 if sure else 0.7, start=t.start,
                                          severity=Severity.ERROR if sure else Severity.INFO if label
                                          else Severity.WARNING)
                for pattern, message, score in ((_QUOTE_GLUE, "a quotation mark glued between two words", 0.6),
                                                (_SENTENCE_GLUE, "two sentences run together without a space", 0.7)):
                    for m in pattern.finditer(s.text):
                        chunk = _chunk_around(s.text, m.start())
                        if elsewhere is None:
                            elsewhere = "\n".join(p.text for o in ctx.renderings if o.lang != r.lang
                                                  for p in o.paragraphs)
                        if s.text[chunk[0] : chunk[1]].strip(".,;:!?“”«»„‚‘’\"' ") in elsewhere:
                            continue  # the others write it so too: a file name or syntax ('changelog.Debian')
                        yield ctx.finding(self, r.lang, s, s.text[chunk[0] : chunk[1]], message, score,
                                          severity=Severity.WARNING, start=chunk[0])


_CAMEL = regex.compile(r"\p{Ll}\p{Lu}\p{Ll}")


# Two capitalised words run together ('PagGiù', 'TamDescarga', 'ChangeLog'): how key names, column labels and file
# names are written (aptitude audit: 4 false errors; then, as warnings, 5 false of 5 with the FAQ's translated
# metavariables), so info, like a word in camel case where a counterpart writes one.
_TITLE_PAIR = regex.compile(r"\p{Lu}\p{Ll}+\p{Lu}\p{Ll}+")


def _written_apart(ctx: Context, lang: str, s, hit: tuple[str, str]) -> bool:
    """Whether a counterpart of sentence `s` has the two halves of `hit` as two words in a row."""
    pair = regex.compile(rf"(?<![\p{{L}}\p{{Nd}}]){regex.escape(hit[0])}\s+{regex.escape(hit[1])}(?![\p{{L}}\p{{Nd}}])",
                         regex.IGNORECASE)
    return any(pair.search(text) for text in ctx.counterpart_texts(lang, s).values())


def _title_pair(word: str) -> bool:
    return bool(_TITLE_PAIR.fullmatch(word))


def _name_of_others(hit: tuple[str, str], shared: set[str]) -> bool:
    """Whether either half is a name the other renderings write, up to one letter ('Depseek|Berpotensi' beside
    'DeepSeek'): a name run into a word is glue however it is capitalised."""
    return any(len(h) >= 5 and any(similar_names(h, w) for w in shared if abs(len(w) - len(h)) <= 1) for h in hit)


def _camel_counterpart(ctx: Context, lang: str, s, own: set[str]) -> bool:
    """Whether an aligned counterpart of sentence `s` has a camel-case word this rendering does not write itself
    (a name it keeps, 'DeepSeek', does not count)."""
    return any(_CAMEL.search(t.text) and t.text not in own for t in tokens(ctx.counterpart_text(lang, s)))


# The rest of a prefixed derivation must be this long ('me|reformat'; shorter rests are syllables).
DERIVED_REST = 4
# Languages that make verbs and nouns with prefixes from any word, loanwords included ('mereformat', 'diekstraksi');
# elsewhere the prefixes of LANG_PREFIXES are also prepositions that get glued ('sur|debian').
PREFIX_DERIVING = LangSet({"id", "ms"})


def _derived(word: str, lang: str, shared: set[str], stems: set[str] = frozenset()) -> bool:
    """Whether `word` (folded) is one of the language's derivational prefixes on a word the other renderings write
    ('me|reformat' beside 'reformats'; `shared` holds their words as written and respelled as loanwords, see
    `borrowed`) or on the stem of one ('di|enkode' beside 'encoded': `stems`, see `loan_stems`): a derivation,
    however unknown to the dictionaries. (Indonesian 'di' is also the preposition often run into a place,
    'dirumah': such glue was never caught, 'di' being skipped as a head anyway.)"""
    if lang not in PREFIX_DERIVING:
        return False
    for prefix in LANG_PREFIXES.get(lang, ()):
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= DERIVED_REST and (rest in shared or rest in stems):
            return True
    return False


# The others' inflection may add this many letters to the stem a derivation borrows ('encode|d' beside 'di|enkode').
LOAN_STEM_EXTRA = 2


def loan_stems(loans: set[str]) -> set[str]:
    """The words of `loans` without their last one or two letters (LOAN_STEM_EXTRA): the stems of the inflected
    forms the others write ('enkode' of 'encoded', respelled 'enkoded'), which a derivation borrows (GNOME
    application help, Indonesian 'dienkode': a false glue warning)."""
    return {w[:-k] for w in loans for k in range(1, LOAN_STEM_EXTRA + 1) if len(w) - k >= DERIVED_REST}


# Verb and participle suffixes (with their inflections) that Romance and Germanic languages put on a borrowed word
# or a name to make a verb of it: Italian 'committata' (commit), Spanish 'debianizada' (Debian), French 'commité',
# German 'committen'. The devref and maintguide audits' two false glue warnings; none of these is a word of its own
# that an injected glue could leave as the second half.
LOAN_VERB_SUFFIXES = {
    "it": ("are", "ato", "ata", "ati", "ate", "izzare", "izzato", "izzata", "izzati", "izzate"),
    "es": ("ar", "ado", "ada", "ados", "adas", "izar", "izado", "izada", "izados", "izadas"),
    "pt": ("ar", "ado", "ada", "ados", "adas", "izar", "izado", "izada", "izados", "izadas"),
    "fr": ("er", "é", "ée", "és", "ées", "iser", "isé", "isée", "isés", "isées"),
    "de": ("en", "t", "te", "ten", "ieren", "iert", "ierte", "ierten"),
}  # (Not Dutch: its 'en' and 'de' are words, 'and' and 'the'.)
# The borrowed word must be this long ('commit', 'debian'): shorter heads are syllables.
LOAN_VERB_HEAD = 4


def _loan_verb(word: str, lang: str, shared: set[str]) -> bool:
    """Whether `word` (folded) is a word the other renderings have (`shared`, maybe with an ending of theirs:
    'committed') made a verb or participle of with one of the language's suffixes (LOAN_VERB_SUFFIXES), its last
    consonant maybe doubled ('commit|t|ata')."""
    for suffix in LOAN_VERB_SUFFIXES.get(base(lang), ()):
        head = word[: -len(suffix)]
        if not word.endswith(suffix) or len(head) < LOAN_VERB_HEAD:
            continue
        heads = {head, head[:-1]} if head[-1] == head[-2] and head[-1] not in "aeiou" else {head}
        if any(h + ending in shared for h in heads for ending in _OTHERS_ENDINGS):
            return True
    return False


# A borrowed word as the others write it: bare or with an ending of theirs ('commit', 'committed', 'commits').
_OTHERS_ENDINGS = ("", *sorted({e for endings in ENDINGS.values() for e in endings}))


def _own_derivation(word: str, lang: str) -> bool:
    """Whether `word` is a bound prefix of the language on a content word of its own ('se|dini', as early as: not
    'sed|ini'; installer audit, Indonesian), a derivation the dictionary lacks. A prefix that is also a word of its
    own ('di', 'ke': 'dirumah' is glue) does not count."""
    if lang not in PREFIX_DERIVING:
        return False
    for prefix in LANG_PREFIXES.get(lang, ()):
        rest = word[len(prefix):]
        if (word.startswith(prefix) and len(rest) >= DERIVED_REST and not is_function_word(prefix, lang)
                and not is_function_word(rest, lang) and zipf(rest, lang) >= GLUE_PART_ZIPF):
            return True
    return False


def _function_word_onto(word: str, lang: str) -> bool:
    """Whether `word` is a free function word run onto another ('Server|auf', 'Partitionen|eine': installer fault
    benchmark): glue even where the other renderings share the head, which the cognate rule would let pass; the
    dictionary still decides. Not a form the lemmatiser reduces to a word of its own (a verb with its enclitic
    pronoun, 'configurar|los', which Hunspell lacks)."""
    lower = _lower_glue(word, lang)
    return (bool(lower) and len(lower[1]) >= 3 and is_function_word(lower[1].lower(), lang)
            and lemma(word, lang) in (None, word, word.lower()))


def _cognate(word: str, stems: dict[str, list[str]]) -> bool:
    """Whether another rendering has a cognate of `word`: same first letters, similar spelling (difflib ratio)."""
    return any(SequenceMatcher(None, word, w).ratio() >= COGNATE_RATIO for w in stems.get(word[:COGNATE_STEM], ()))


def _aligned_cognate(ctx: Context, lang: str, s, folded: str) -> bool:
    """Whether an aligned counterpart of sentence `s` has a cognate of `folded` by a shorter common start
    (ALIGNED_COGNATE_STEM letters, as respelled loanwords too): across the whole document five letters are needed
    (see COGNATE_STEM), but the counterpart of the very sentence vouches for a name respelled early on ('mandéen'
    for 'Mandaean': an ISO 15924 script name in the Debian .mo audit, a false error)."""
    if len(folded) < COGNATE_MIN:
        return False
    stem = folded[:ALIGNED_COGNATE_STEM]
    for text in ctx.counterpart_texts(lang, s).values():
        for t in tokens(text):
            for form in {t.folded, borrowed(t.folded, lang)}:
                if form.startswith(stem) and SequenceMatcher(None, folded, form).ratio() >= COGNATE_RATIO:
                    return True
    return False


def _chunk_around(text: str, at: int) -> tuple[int, int]:
    """The whitespace-delimited stretch of text around position `at`."""
    start = text.rfind(" ", 0, at) + 1
    end = text.find(" ", at)
    return start, len(text) if end < 0 else end


def _case_glue(word: str, lang: str) -> tuple[str, str] | None:
    """'aufrechterhaltenFür' → ('aufrechterhalten', 'Für'), 'BERKASadalah' → ('BERKAS', 'adalah'); names such as
    'OpenAI' or 'iPhone' are not glue (too short a head, or shared with the other renderings)."""
    m = _CASE_GLUE.search(word)
    if not m:
        return None
    lower_first = word[m.start()].islower()
    run = regex.match(r"\p{Ll}+" if lower_first else r"\p{Lu}+", word[m.start():]).group()
    cuts = [m.start() + len(run)] if lower_first else [m.start() + len(run), m.start() + len(run) - 1]
    for cut in cuts:  # 'GROUPvalue' splits after the capitals, 'XMLHttp' one letter before
        head, tail = word[:cut], word[cut:]
        if len(head) < 3 or len(tail) < 3:
            continue
        # The head may be a name ('DepseekBerpotensi'); the tail must be a word of the language, or long enough
        # to be a compound wordfreq has never seen ('gibtVersionsinformationen').
        if head.isupper() and tail.islower() and len(tail) < ACRONYM_SUFFIX_MAX and not is_function_word(tail, lang):
            continue  # an acronym with a suffix ('GNUish', 'PDFs'), not an acronym run into a word
        head_ok = len(head) >= 4 or zipf(head.lower(), lang) >= GLUE_PART_ZIPF
        tail_ok = zipf(tail.lower(), lang) >= GLUE_TAIL_ZIPF or (len(tail) >= LONG_TAIL and tail[1:].islower())
        if head_ok and tail_ok:
            return head, tail
    return None


def _evident(hit: tuple[str, str], lang: str, case: tuple[str, str] | None, evident: tuple[str, str] | None,
             shared: set[str]) -> bool:
    """Whether a glue is almost surely one (an error): a change of case at the seam ('aufrechterhaltenFür',
    'HINWEISExtreme'), both halves written apart elsewhere in the rendering, or a function word as one half
    ('olehperintah', 'undzsh'). Two content words the dictionary does not know together are often a compound or a
    derivation it lacks ('basisdata', 'mereformat', 'kriptografis': false in the handbook, installer and catalogue
    audits), so those are warnings."""
    if case or evident:
        return True
    head, tail = (h.lower() for h in hit)
    if hit[0].isupper() != hit[1].isupper():
        return True  # a code run into a word ('fürGNU', 'IPCobjects')
    # The other half must be a word of the language or a name the others share ('zsh'), not a fragment that
    # happens to follow a frequent word ('sed|ini' in 'sedini', 'see|kable' in 'seekable').
    if (_core_function_word(head, lang) and head not in PARTICLES.get(lang, ())
            and head not in LANG_PREFIXES.get(lang, ())):
        return bool(known(hit[1], lang)) or tail in shared
    if head in PARTICLES.get(lang, ()):
        return False  # a separable verb's particle ('weg|heeft' is 'weghebben' conjugated)
    return _core_function_word(tail, lang) and (bool(known(hit[0], lang)) or head in shared)


def _core_function_word(word: str, lang: str) -> bool:
    """A function word beyond doubt: frequent enough (CORE_FUNCTION_ZIPF; 'und' 7.4, 'oleh' 6.4; the installer
    audit's 'Fall|back' is a noun at 5.5) and written in lower case by the language."""
    return (is_function_word(word, lang) and zipf(word, lang) >= CORE_FUNCTION_ZIPF
            and lower_case_form(word, lang) is not False)


def _self_glue(word: str, own: set[str], lang: str) -> tuple[str, str] | None:
    """'Firmwareeventuell', 'DebianGNU': both halves, in exactly these letters and case, are words the same
    rendering writes on their own elsewhere. Solid compounds change the case of their tail ('Netzwerk' + 'Karte' is
    'Netzwerkkarte') or are known to the dictionary, which has the last word in `GluedWord.run`."""
    if not word.isalpha() or len(word) < 2 * SELF_PART - 1:
        return None
    for k in range(SELF_PART - 1, len(word) - SELF_PART + 2):
        head, tail = word[:k], word[k:]
        seam = _case_seam(head, tail)
        # A three-letter half needs a change of case at the seam to stand out ('Debian|GNU'); so does any pair in
        # a language that writes compounds solid without capitalising nouns (Dutch 'kernel' + 'parameter' is
        # 'kernelparameter', a compound: German would write 'Kernelparameter', whose tail is no word alone).
        if (min(len(head), len(tail)) < SELF_PART or (lang in COMPOUNDING and lang not in CAPITALISED_NOUNS)) \
                and not seam:
            continue
        if head in own and tail in own and fold(head) not in PREFIXES \
                and head.lower() not in LANG_PREFIXES.get(lang, ()):  # 'sotto|alberi' is 'subtrees'
            return head, tail
    return None


def _case_seam(head: str, tail: str) -> bool:
    """Whether the case changes where the two halves meet ('Debian|GNU', 'ein|Gebietsschema')."""
    return head[-1].islower() != tail[0].islower()


def _shared_glue(word: str, lang: str, shared: set[str]) -> tuple[str, str] | None:
    """A name or code the other renderings have, run into a word of this one: 'fürGNU', 'IPCobjects',
    'chrtpriority'. In languages that write compounds solid ('Shellskript') the name must stand out by its capitals."""
    if not has_wordlist(lang) or not word.isalpha() or zipf(word.lower(), lang) >= GLUED_MAX_ZIPF:
        return None
    endings = ENDINGS.get(lang, ENDINGS["*"])
    for k in range(SHARED_PART, len(word) - SHARED_PART + 1):
        for name, other in ((word[:k], word[k:]), (word[k:], word[:k])):
            if fold(name) not in shared or zipf(other.lower(), lang) < GLUE_PART_ZIPF or other.lower() in endings:
                continue
            capitals = name.isupper() and not other.isupper()
            if capitals and word.startswith(name) and len(other) < ACRONYM_SUFFIX_MAX:
                continue  # an acronym with a suffix ('GNUish')
            if lang in COMPOUNDING and not capitals:
                continue
            if not capitals and (zipf(name.lower(), lang) >= GLUE_PART_ZIPF or len(other) < SHARED_TAIL
                                 or fold(name) in PREFIXES):
                continue  # two words of the language (_lower_glue's call), or a suffix such as '-era', '-eur'
            return word[:k], word[k:]
    return None


@lru_cache(maxsize=65536)  # asked twice for a word the cognate rule would pass (_function_word_onto, then the hit)
def _lower_glue(word: str, lang: str) -> tuple[str, str] | None:
    """'offriraffaiblissant' → ('offrir', 'affaiblissant'); 'desoctets' → ('des', 'octets'); 'SEEALSO'. In languages
    that write compounds solid, only a function word gives glue away ('aufden', 'nichtumgebrochen')."""
    body = word.lower() if word.isupper() else word[0].lower() + word[1:]
    if not has_wordlist(lang) or len(word) < 6 or not body.isalpha() or not body.islower():
        return None
    if zipf(body, lang) >= GLUED_MAX_ZIPF or _own_derivation(body, lang):
        return None
    # A known stem plus an inflectional ending ('format|ant'): a cut inside that stem is no glue, and an ending or
    # suffix is never the second word ('hochmodern|er', 'internal|nya', 'inadvertance|ment').
    endings = ENDINGS.get(lang, ENDINGS["*"]) + LOAN_SUFFIXES.get(lang, ())
    stem = max((len(body) - len(e) for e in endings
                if len(body) - len(e) >= 4 and body.endswith(e) and zipf(body[: -len(e)], lang) >= GLUE_PART_ZIPF),
               default=0)
    compounding = lang in CLOSED_COMPOUNDS
    best = None
    for k in range(2, len(body) - 1):
        head, tail = body[:k], body[k:]
        if fold(head) in PREFIXES or head in LANG_PREFIXES.get(lang, ()) or k < stem or tail in endings:
            continue
        strong_head = is_function_word(head, lang) and head not in PARTICLES.get(lang, ())
        strong_tail = is_function_word(tail, lang)
        strong = strong_head or strong_tail
        zh, zt = zipf(head, lang), zipf(tail, lang)
        # English closed compounds are lexicalised: two everyday words that make an unknown whole are glue
        # ('standard|output'; not 'king|fishers', known at 2.4). German makes new compounds freely
        # ('Technologie|landschaft'), so there only a function word will do.
        plain_pair = (lang in PLAIN_PAIR_LANGS and min(zh, zt) >= CLOSED_PART_ZIPF and zipf(body, lang) == 0
                      and min(len(head), len(tail)) >= 4)
        if (compounding and not (strong or plain_pair)) or (stem and not strong):
            continue
        if strong_head:
            ok = zt >= STRONG_PART_ZIPF and len(tail) >= 2
        elif strong_tail:  # the head must then be a plainly known word ('sauter|les', not 'Hinder|nie')
            ok = zh >= GLUE_PART_ZIPF and len(head) >= 3
        else:
            ok = min(zh, zt) >= GLUE_TAIL_ZIPF and min(len(head), len(tail)) >= 4
        if ok and (best is None or (strong, min(zh, zt)) > best[0]):
            best = ((strong, min(zh, zt)), word[:k], word[k:])
    return (best[1], best[2]) if best else None
