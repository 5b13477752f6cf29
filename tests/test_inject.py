"""The fault injectors one by one, on a tiny four-language document: the fault is really in the text, it is where
the injector says, and a seed gives the same fault every time. No checker runs here (tests/test_bench_faults.py
runs the benchmark)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from consistency.bench.inject import INJECTORS, placeholders
from consistency.bench.standin import Coverage, attach
from consistency.checks.text import tokens
from consistency.segment import split_sentences

DOC = {
    "en": ["After a long debate on Tuesday, the city council of Rostock approved the new budget for the public "
           "libraries. Mayor Elena Kovacs said that the libraries would stay open longer in the evening.",
           "Use the --verbose option to print the value of {user_name} for each file."],
    "de": ["Nach einer langen Debatte am Dienstag hat der Stadtrat von Rostock den neuen Haushalt für die "
           "öffentlichen Bibliotheken verabschiedet. Bürgermeisterin Elena Kovacs sagte, dass die Bibliotheken "
           "abends länger geöffnet bleiben würden.",
           "Verwenden Sie die Option --verbose, um den Wert von {user_name} für jede Datei auszugeben."],
    "fr": ["Après un long débat mardi, le conseil municipal de Rostock a approuvé le nouveau budget pour les "
           "bibliothèques publiques. La maire Elena Kovacs a déclaré que les bibliothèques resteraient ouvertes "
           "plus tard le soir.",
           "Utilisez l'option --verbose pour afficher la valeur de {user_name} pour chaque fichier."],
    "id": ["Setelah perdebatan panjang pada hari Selasa, dewan kota Rostock menyetujui anggaran baru untuk "
           "perpustakaan umum. Wali kota Elena Kovacs mengatakan bahwa perpustakaan akan tetap buka lebih lama pada "
           "malam hari.",
           "Gunakan opsi --verbose untuk menampilkan nilai {user_name} untuk setiap berkas."],
}
NEW = ["truncate_common_word", "truncate_name", "misspell_name", "shuffle_words", "capitalise_function_words",
       "repeat_phrase", "drop_clause", "untranslated_sentence", "translate_placeholder"]
LANGS = ["de", "fr", "id", "en"]


def _inject(name: str, lang: str, seed: int = 0):
    others = {o: list(ps) for o, ps in DOC.items() if o != lang}
    return INJECTORS[name]().inject(list(DOC[lang]), lang, others, random.Random(seed))


def _words(text: str) -> list[str]:
    return [t.text for t in tokens(text)]


def _changed(old: str, new: str) -> tuple[list[str], list[str]]:
    """The differing middle of two token lists (common prefix and suffix stripped)."""
    a, b = _words(old), _words(new)
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    j = 0
    while j < min(len(a), len(b)) - i and a[-1 - j] == b[-1 - j]:
        j += 1
    return a[i : len(a) - j], b[i : len(b) - j]


def _one_word_changed(old: str, new: str) -> tuple[str, str]:
    gone, came = _changed(old, new)
    assert len(gone) == len(came) == 1, (gone, came)
    return gone[0], came[0]


def _in(word: str, lang: str, i: int) -> bool:
    return word in _words(DOC[lang][i])


def check_truncate_common_word(lang, i, old, new, fault):
    word, stub = _one_word_changed(old, new)
    assert word.startswith(stub) and stub != word and word.islower() and len(word) >= 7
    assert 0.5 <= len(stub) / len(word) <= 0.65
    assert not any(word.lower() in p.lower() for o in DOC if o != lang for p in DOC[o])


def check_truncate_name(lang, i, old, new, fault):
    word, stub = _one_word_changed(old, new)
    assert word.startswith(stub) and stub != word and word[0].isupper() and len(word) >= 5
    assert 0.5 <= len(stub) / len(word) <= 0.7
    assert all(_in(word, o, i) for o in DOC if o != lang)


def check_truncate_word(lang, i, old, new, fault):
    word, stub = _one_word_changed(old, new)
    assert word.startswith(stub) and stub != word and len(word) >= 6
    assert any(_in(word, o, i) for o in DOC if o != lang)


def check_misspell_name(lang, i, old, new, fault):
    word, wrong = _one_word_changed(old, new)
    assert word[0].isupper() and len(word) >= 5 and all(_in(word, o, i) for o in DOC if o != lang)
    assert wrong != word and wrong[0] == word[0] and wrong[-2:] == word[-2:]
    assert abs(len(wrong) - len(word)) <= 1
    if len(wrong) == len(word):
        assert sum(x != y for x, y in zip(word, wrong)) == 1


def check_shuffle_words(lang, i, old, new, fault):
    before, after = split_sentences(lang, old), split_sentences(lang, new)
    assert len(before) == len(after)
    diff = [(a, b) for (_, a), (_, b) in zip(before, after) if a != b]
    assert len(diff) == 1
    a, b = diff[0]
    assert Counter(_words(a)) == Counter(_words(b)) and _words(a) != _words(b)
    gone, came = _changed(a, b)
    assert 3 <= len(gone) <= 5 and sorted(gone) == sorted(came)


def check_capitalise_function_words(lang, i, old, new, fault):
    a, b = _words(old), _words(new)
    assert len(a) == len(b)
    pairs = [(x, y) for x, y in zip(a, b) if x != y]
    assert len(pairs) == 2
    assert all(x.islower() and y == x[0].upper() + x[1:] and len(x) <= 5 for x, y in pairs)
    assert a[0] == b[0]


def check_repeat_phrase(lang, i, old, new, fault):
    a, b = _words(old), _words(new)
    n = len(b) - len(a)
    assert n in (2, 3)
    k = next(k for k in range(len(a)) if a[k] != b[k])  # the repeat starts where the copy diverges
    assert b[k : k + n] == b[k - n : k] and b[:k] + b[k + n :] == a


def check_drop_clause(lang, i, old, new, fault):
    before, after = split_sentences(lang, old), split_sentences(lang, new)
    assert len(before) == len(after)
    diff = [(a, b) for (_, a), (_, b) in zip(before, after) if a != b]
    assert len(diff) == 1
    a, b = diff[0]
    wa, wb = [w.lower() for w in _words(a)], [w.lower() for w in _words(b)]
    gone, came = _changed(" ".join(wa), " ".join(wb))
    assert not came and len(gone) >= 3 and len(gone) >= 0.15 * len(wa) and len(wb) >= 3


def check_untranslated_sentence(lang, i, old, new, fault):
    english = [s for _, s in split_sentences("en", DOC["en"][i])]
    before, after = split_sentences(lang, old), split_sentences(lang, new)
    assert len(before) == len(after) == len(english) >= 2
    changed = [k for k, ((_, a), (_, b)) in enumerate(zip(before, after)) if a != b]
    assert len(changed) == 1 and after[changed[0]][1] == english[changed[0]]


def check_translate_placeholder(lang, i, old, new, fault):
    was = {old[a:b] for _, a, b in placeholders(old)}
    now = {new[a:b] for _, a, b in placeholders(new)}
    gone, came = was - now, now - was
    assert len(gone) == 1 and len(came) == 1
    assert all(next(iter(gone)) in DOC[o][i] for o in DOC if o != lang)


CHECKS = {name: globals()[f"check_{name}"] for name in NEW + ["truncate_word"]}
CASES = [(name, lang) for name in CHECKS for lang in LANGS
         if not (name == "untranslated_sentence" and lang == "en")]


@pytest.mark.parametrize("name,lang", CASES)
def test_injector_makes_the_fault_it_names(name, lang):
    for seed in range(4):
        made = _inject(name, lang, seed)
        assert made is not None, (name, lang, seed)
        new, fault = made
        assert fault.type == name and fault.lang == lang and len(new) == len(DOC[lang])
        changed = [i for i, (a, b) in enumerate(zip(DOC[lang], new)) if a != b]
        assert len(changed) == 1 and fault.paragraphs == (changed[0] + 1,)
        i = changed[0]
        CHECKS[name](lang, i, DOC[lang][i], new[i], fault)


@pytest.mark.parametrize("name", sorted(INJECTORS))
def test_same_seed_same_fault(name):
    for lang in LANGS:
        assert _inject(name, lang, 7) == _inject(name, lang, 7)


def test_untranslated_sentence_needs_an_english_rendering_and_is_not_for_it():
    assert _inject("untranslated_sentence", "en") is None
    others = {o: DOC[o] for o in ("fr", "id")}
    assert INJECTORS["untranslated_sentence"]().inject(list(DOC["de"]), "de", others, random.Random(0)) is None


def test_translate_placeholder_needs_a_shared_placeholder():
    others = {o: DOC[o][:1] for o in DOC if o != "de"}
    assert INJECTORS["translate_placeholder"]().inject(DOC["de"][:1], "de", others, random.Random(0)) is None


@pytest.mark.parametrize("text,expected", [
    ("print %s and %(count)d then $HOME or ${PATH}", ["%s", "%(count)d", "$HOME", "${PATH}"]),
    ("copy <file> to {dest} with --no-clobber into DIR_NAME", ["<file>", "{dest}", "--no-clobber", "DIR_NAME"]),
    ("50% of users, e.g. IT staff", []),
])
def test_placeholders_found(text, expected):
    assert [text[a:b] for _, a, b in placeholders(text)] == expected


@pytest.mark.parametrize("text,changed", [
    ("a %s b", "a %d b"), ("a {user_name} b", "a {benutzer_bezeichnung} b"), ("nimm FILE", "nimm DATEI"),
    ("--verbose", "--ausfuehrlich"),
])
def test_translated_placeholders_look_translated(text, changed):
    others = {"en": [text], "fr": [text]}
    new, fault = INJECTORS["translate_placeholder"]().inject([text], "de", others, random.Random(0))
    assert new == [changed], fault.detail


# --- the back-translation stand-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["drop_clause", "shuffle_words", "drop_sentence"])
def test_content_faults_carry_a_faulty_english(name):
    new, fault = _inject(name, "de", 0)
    i = fault.paragraphs[0] - 1
    assert fault.english is not None and len(fault.english) == len(new)
    assert fault.english[i] != DOC["en"][i]
    assert [p for k, p in enumerate(fault.english) if k != i] == [p for k, p in enumerate(DOC["en"]) if k != i]
    if name == "shuffle_words":
        assert Counter(_words(fault.english[i])) == Counter(_words(DOC["en"][i]))
    else:
        assert len(_words(fault.english[i])) < len(_words(DOC["en"][i]))


@pytest.mark.parametrize("name", ["truncate_name", "misspell_name", "translate_placeholder", "untranslated_sentence"])
def test_faults_that_change_no_meaning_keep_the_english(name):
    assert _inject(name, "de", 0)[1].english is None


def test_standin_gives_each_sentence_the_english_at_its_place():
    from consistency.bench.faults import Document, renderings

    doc = Document("council", {lang: list(ps) for lang, ps in DOC.items()})
    cov = Coverage()
    out = {r.lang: r for r in attach(renderings(doc), {lang: DOC["en"] for lang in DOC}, "en", cov)}
    english = [s for p in DOC["en"] for _, s in split_sentences("en", p)]
    assert [s.backtranslation for s in out["de"].sentences] == english
    assert [s.backtranslation for s in out["en"].sentences] == [s.text for s in out["en"].sentences]
    assert cov.share == 1.0
    # A paragraph whose sentence count differs from the English gets none, and the rest still do.
    doc2 = Document("council", {**doc.paragraphs, "fr": [DOC["fr"][0].replace(". La maire", ", la maire"),
                                                          DOC["fr"][1]]})
    fr = {r.lang: r for r in attach(renderings(doc2), {lang: DOC["en"] for lang in DOC}, "en")}["fr"]
    assert [s.backtranslation for s in fr.paragraphs[0].sentences] == [None]
    assert fr.paragraphs[1].sentences[0].backtranslation == english[-1]
