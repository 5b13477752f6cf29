"""Word-level decisions, one table per class of false alarm and miss (issue: precision on unseen text). Each row
is a tiny case in one language; the other renderings and the language's dictionaries decide, not a frequency."""
from __future__ import annotations

import pytest

from consistency.checks.base import Context
from consistency.checks.garbled import Garbled
from consistency.checks.glue import GluedWord
from consistency.checks.words import DoubledWord
from consistency.lexicon import known
from consistency.model import Paragraph, Rendering
from consistency.segment import segment


def _one(lang: str, text: str) -> Context:
    r = Rendering(lang, f"{lang}.txt", segment(lang, (Paragraph(1, 1, text),)))
    return Context((r,), (), ())


def _serious(findings):
    return [f for f in findings if f.severity.value in ("error", "warning")]


@pytest.mark.parametrize("lang,word,expected", [
    ("de", "löschende", True), ("de", "Handelsweg", True), ("de", "Holzhausbauer", True),  # inflection, compounds
    ("de", "Snapshot", True), ("fr", "exposeront", True), ("fr", "Modifiez", True), ("fr", "récursive", True),
    ("es", "recortaron", True), ("it", "installatori", True), ("id", "kurawal", True), ("id", "repositori", True),
    ("pt", "instantâneos", True), ("nl", "gebruikersinterface", True),
    ("de", "aufden", False), ("de", "verwe", False), ("fr", "présen", False), ("fr", "desoctets", False),
    ("id", "memb", False), ("es", "cadavez", False), ("de", "H100", False),
])
def test_lexicon_knows_words_of_the_language(lang, word, expected):
    assert known(word, lang) is expected


@pytest.mark.parametrize("engine", ["hunspell", "spylls"])
@pytest.mark.parametrize("lang,word,expected", [
    ("de", "Holzhausbauer", True), ("de", "Benutzeroberfläche", True), ("fr", "réinstallerons", True),
    ("de", "Dvořák", False),  # not writable in the German dictionary's ISO 8859-1: no word of it, no crash
    ("de", "Holzhausbauerx", False), ("fr", "desoctets", False),
])
def test_both_hunspell_engines_read_the_dictionaries_alike(monkeypatch, engine, lang, word, expected):
    """Hunspell itself (chunspell) where it is installed, spylls where chunspell has no wheel: the same answers on
    compounds, inflections and non-words (they differ on 0.15-0.5 % of real words: lexicon.hunspell_engine)."""
    from consistency import lexicon

    if engine == "hunspell":
        pytest.importorskip("hunspell")
    monkeypatch.setattr(lexicon, "hunspell_engine", lambda: engine)
    lexicon._hunspell.cache_clear()
    try:
        dictionary = lexicon._hunspell(lang)
        assert isinstance(dictionary, lexicon._CHunspell) is (engine == "hunspell")
        assert bool(dictionary.lookup(word)) is expected
    finally:
        lexicon._hunspell.cache_clear()


@pytest.mark.parametrize("lang,text,flagged", [
    # inflected forms and compounds are words (they were called glued)
    ("de", "Wählen Sie die zu löschende Datei aus und bestätigen Sie.", False),
    ("de", "Am alten Handelsweg zwischen den Tälern steht eine Inschrift.", False),
    ("fr", "Les élèves exposeront une maquette pendant le salon.", False),
    ("fr", "Ne les modifiez pas, sinon le texte est envoyé tel quel.", False),
    ("es", "Los técnicos recortaron el presupuesto del proyecto.", False),
    ("it", "Gli installatori consigliano di sostituire il riscaldamento.", False),
    ("id", "Teks di antara tanda kurung kurawal dikirim apa adanya.", False),
    # derivations the dictionaries lack but the web uses (installer and aptitude audits)
    ("es", "Los archivos se leen secuencialmente desde el disco.", False),
    ("it", "Impostare il flag avviabile sulla partizione.", False),
    ("es", "El solucionador de dependencias propone una salida.", False),
    # real glue is still glue
    ("it", "Il contenuto di negliarchivi non cambia.", True),
    ("id", "Paket ini dipilih fokussecara otomatis.", True),
    ("de", "Die Führung aufrechterhaltenFür die Zukunft ist wichtig.", True),
    ("fr", "Cela pourrait offriraffaiblissant la position du pays.", True),
    ("fr", "La commande lit desoctets depuis l'entrée standard.", True),
    # Dutch pronominal adverbs fuse with a preposition and then with a participle: one word ('de eropvolgende
    # regel', 'daaropvolgend': aptitude audit), while a preposition run into an article stays glue.
    ("nl", "Kies de eropvolgende regel in de lijst.", False),
    ("nl", "De daaropvolgende stap installeert het pakket.", False),
    ("nl", "Het pakket wordt naareen map gekopieerd.", True),
    # A productive prefix keeps its accent in French ('rétroportés', back-ported: devref, FAQ and maintguide
    # audits), and 'macro-' is one ('Macropaquets'); Indonesian borrows '-si' nouns whole ('diekstraksi').
    ("fr", "Les correctifs rétroportés sont publiés chaque semaine.", False),
    ("fr", "Les Macropaquets regroupent plusieurs paquets.", False),
    ("id", "Berkas diekstraksi ke direktori sementara.", False),
])
def test_glue_table(lang, text, flagged):
    assert bool(_serious(GluedWord().run(_one(lang, text)))) == flagged


@pytest.mark.parametrize("lang,text,flagged", [
    ("es", "Los ejercicios se vuelven cada vez cada vez más difíciles.", True),
    ("en", "The answer was never ever never ever given.", True),
    ("de", "Schreiben Sie den Platzhalter an die Stelle, an der der Name erscheinen soll.", False),
    ("de", "Die Schulen, die die Stadt betreibt, bleiben offen.", False),
    ("fr", "De la farine, de l'eau et du sel suffisent.", False),
])
def test_repeated_phrase_table(lang, text, flagged):
    assert bool(_serious(DoubledWord().run(_one(lang, text)))) == flagged


@pytest.mark.parametrize("lang,text,flagged", [
    ("fr", "En moins de deux mois, les modèles ont été intégrés à Les principaux services Internet.", True),
    ("id", "Pendiri perusahaan, Liang Wenfeng, Dia telah mengakui bahwa dia menghadapi tantangan besar.", True),
    ("de", "Beim Start und dann aus Beim Training eines einzigen großen Modells, beim Testen auch.", True),
    ("de", "Die Idee eines Monopols wird damit in Frage gestellt, und der Weg ist frei.", False),  # nouns
    ("de", "Wenn Sie die Datei speichern, können Sie Ihre Arbeit später fortsetzen.", False),  # polite address
    ("fr", "Il a visité La Paz et Le Caire pendant le voyage de printemps.", False),  # names, by the others? no:
    ("en", "How To Configure The Network Interfaces On Debian", False),  # title case heading
    ("de", "Die US -Unternehmen haben Milliarden in die KI -Entwicklung gesteckt.", True),  # split compounds
    ("de", "Mit der Option -name sucht find nach Dateinamen.", False),  # an option is no split word
])
def test_garbled_offline_table(lang, text, flagged):
    # (A word the rendering never writes in lower case is its convention: each flagged row also has it in lower case.)
    assert bool(_serious(Garbled().run(_one(lang, text)))) == flagged


def test_a_cognate_in_another_rendering_is_not_glue():
    """'decarbonizzare' splits into 'de' + 'carbonizzare', but the English rendering has 'decarbonise'."""
    it = Rendering("it", "it.txt", segment("it", (Paragraph(1, 1, "Gli installatori consigliano di decarbonizzare "
                                                                   "il riscaldamento."),)))
    en = Rendering("en", "en.txt", segment("en", (Paragraph(1, 1, "Installers advise to decarbonise heating."),)))
    assert _serious(GluedWord().run(Context((en, it), (), ()))) == []
    assert _serious(GluedWord().run(Context((it,), (), ())))  # alone, the dictionaries do not know the word


@pytest.mark.parametrize("text,english", [
    ("Kunci simetrik dipakai untuk enkripsi.", "Symmetric keys are used for encryption."),
    ("Tanda tangan kriptografis diperiksa.", "The cryptographic signature is checked."),
    # A verb made with the language's prefix from a word the other rendering has ('me' + 'reformat': catalogues)
    ("Perintah ini mereformat partisi tersebut.", "This command reformats the partition."),
])
def test_a_loanword_of_another_renderings_word_is_not_glue(text, english):
    """Indonesian spells borrowed words its own way ('simetrik' for 'symmetric', 'kriptografis' for
    'cryptographic'; catalogue and installer audits) and derives verbs from them with its prefixes: the other
    rendering's word, respelled, is the cognate."""
    id_ = Rendering("id", "id.txt", segment("id", (Paragraph(1, 1, text),)))
    en = Rendering("en", "en.txt", segment("en", (Paragraph(1, 1, english),)))
    assert _serious(GluedWord().run(Context((en, id_), (), ()))) == []
    assert _serious(GluedWord().run(Context((id_,), (), ())))  # alone, the dictionaries do not know the word


@pytest.mark.parametrize("lang,halves,shared,error", [
    ("id", ("oleh", "perintah"), set(), True),  # a function word and a word: surely glue
    ("de", ("und", "zsh"), {"zsh"}, True),  # a function word and a name the others share
    ("id", ("basis", "data"), set(), False),  # two content words: a compound the dictionary lacks ('basisdata')
    ("id", ("sed", "ini"), set(), False),  # 'sedini': the other half is no word
    ("en", ("see", "kable"), set(), False),  # 'seekable'
])
def test_glue_is_an_error_only_when_evident(lang, halves, shared, error):
    from consistency.checks.glue import _evident

    assert _evident(halves, lang, None, None, shared) is error


@pytest.mark.parametrize("lang,word,own,glued", [
    ("it", "loroarchitetture", {"loro", "architetture"}, True),  # two words the rendering writes apart
    ("it", "sottoalberi", {"sotto", "alberi"}, False),  # a productive prefix of the language ('subtrees')
    ("de", "DebianGNU", {"Debian", "GNU"}, True),
])
def test_self_glue_skips_the_languages_prefixes(lang, word, own, glued):
    from consistency.checks.glue import _self_glue

    assert (_self_glue(word, own, lang) is not None) is glued


@pytest.mark.parametrize("lang,word,title_pair", [
    ("it", "PagGiù", True), ("es", "TamDescarga", True), ("en", "ChangeLog", True),  # key names, labels, files
    ("es", "seleccionaCrear", False), ("de", "HINWEISExtreme", False), ("de", "DebianGNU", False),
])
def test_two_capitalised_words_are_no_evident_glue(lang, word, title_pair):
    from consistency.checks.glue import _title_pair

    assert _title_pair(word) is title_pair


def test_a_name_of_the_others_run_into_a_word_stays_evident():
    """'DepseekBerpotensi' (the seed essay) is two capitalised words too, but its head is the others' 'DeepSeek'."""
    from consistency.checks.glue import _name_of_others

    assert _name_of_others(("Depseek", "Berpotensi"), {"deepseek", "potensi"})
    assert not _name_of_others(("Pag", "Giù"), {"pagina", "giù"})


@pytest.mark.parametrize("lang,text,flagged", [
    ("fr", "Le fichier %s s'appuie sur la configuration du système.", False),  # a placeholder and an elision
    ("id", "  -i, --input=BERKAS MASUKAN berkas masukan dalam format PO", False),  # a metavariable, described
    ("de", "Der Computer wird wird einen Überlauf verursachen.", True),
    # A capitalised word before the same word in lower case, mid-sentence, names a thing by its label ('del Menú
    # menú', config syntax 'Height height;': aptitude audit, 4 false errors, no real one in the eight audits)...
    ("es", "Las opciones del Menú menú se describen aquí.", False),
    # A metavariable the paragraph writes in a pattern ('^naam$', '<naam>') named after its noun ('met de naam
    # naam', en 'named name': aptitude audit).
    ("nl", "Het zoekpatroon “^naam$” komt enkel overeen met een pakket met de naam naam.", False),
    ("en", "The option takes the form Height height; in the file.", False),
    # ... while the same pair opening a sentence, or a lower-case word before its capitalised twin, is a doubling.
    ("en", "The the file is read at startup.", True),
    ("en", "See the appendix Appendix C for details.", True),
])
def test_doubled_word_calibration(lang, text, flagged):
    assert bool(_serious(DoubledWord().run(_one(lang, text)))) == flagged


@pytest.mark.parametrize("before,open_", [
    ("Fill in the answers from Section 3.3, “Information", True),
    ("Wählen Sie „Graphical", True),
    ("Wählen Sie „Graphical install“ und", False),
    ("il a dit « bonjour » et", False),
    ("Er las »Zitat« und", False),
])
def test_quotation_is_open(before, open_):
    from consistency.checks.text import in_quotation

    assert in_quotation(before) is open_


@pytest.mark.parametrize("text,lang,values", [
    ("siglo XXI", "es", {21}),  # Roman numerals ('21st century')
    ("capítulo IV", "es", {4}),
    ("und", "de", set()),
])
def test_spelled_numbers(text, lang, values):
    from consistency.checks.anchors import _Spelled

    spelled = _Spelled(text, lang)
    assert {v for v in range(100) if v in spelled} == values


@pytest.mark.parametrize("text,end", [("F.1. Preamble", 4), ("8.2.3. Application", 6), ("D.3.2.", 6),
                                      ("600 Mo", 0), ("3.5 GB", 0), ("1. Introduction", 2)])
def test_heading_numbers(text, end):
    from consistency.checks.anchors import _section_number_end

    assert _section_number_end(text) == end


@pytest.mark.parametrize("paragraph,fragment,glossed", [
    ("zogenaamde cylinder translation technieken (cilinderomzettingstechnieken) nodig. Als u een model voor "
     "cylinder translation toepast", "cylinder translation", True),  # introduced with a gloss, then used again
    ("Als u een model voor cylinder translation toepast, moet (zie boven) de partitie", "cylinder translation",
     False),  # a bracket after a comma glosses nothing
    ("Sedang extract contiguous file sebagai regular file.", "extract contiguous file", False),
    ("Grouping policy firstchar(source)", "Grouping policy", False),  # an argument, not a gloss (aptitude audit)
])
def test_english_term_glossed_in_brackets(paragraph, fragment, glossed):
    from consistency.checks.untranslated import _glossed

    assert _glossed(paragraph, fragment) is glossed
