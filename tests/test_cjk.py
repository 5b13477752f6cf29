"""Chinese, Japanese and Korean renderings (case reliability/03): they run, get word knowledge where the
tokenizers are installed, and no word-level rule built on spaces or capitals fires on them."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from consistency.checks import text as text_mod
from consistency.checks.anchors import _Spelled
from consistency.checks.glue import _QUOTE_GLUE
from consistency.checks.text import has_wordlist, numbers, spaced, tokens, unspaced, zipf
from consistency.model import Severity
from consistency.pipeline import Settings, check_renderings, load_renderings

CASE = Path(__file__).resolve().parent / "data" / "reliability" / "03-cjk-crash"  # copied from shared/cases
HOSTILE = {
    "en": ["DeepSeek trained the V3 model on 2,048 H800 GPUs in two months.",
           'The team said "open weights" matter more than benchmarks.',
           "The model cost 5.6 million dollars."],
    "zh": ["DeepSeek在两个月内用2,048块H800 GPU训练了V3模型。", "团队表示，“开放权重”比基准测试更重要。",
           "该模型花费了560万美元。"],
    "ja": ["DeepSeekは2か月で2,048基のH800 GPUを使ってV3モデルを訓練しました。",
           "チームは「オープンウェイト」がベンチマークより重要だと述べました。", "このモデルの費用は560万ドルでした。"],
    "ko": ["DeepSeek은 두 달 동안 2,048개의 H800 GPU로 V3 모델을 훈련했습니다.",
           '팀은 "오픈 웨이트"가 벤치마크보다 더 중요하다고 말했습니다.', "이 모델의 비용은 560만 달러였습니다."],
}


def _case_doc(tmp_path: Path, langs: list[str]) -> Path:
    folder = tmp_path / "-".join(langs)
    folder.mkdir()
    for lang in langs:
        shutil.copy(CASE / f"{lang}.txt", folder / f"{lang}.txt")
    return folder


def _errors(result) -> list[str]:
    return [f"{f.lang} {f.kind}: {f.message}" for f in result.findings if f.severity == Severity.ERROR]


@pytest.mark.skipif(not CASE.is_dir(), reason="the shared reliability cases are not checked out")
@pytest.mark.parametrize("langs", [["en", "zh"], ["en", "ja"], ["en", "ko"], ["zh", "ja", "ko", "en"]])
def test_case_03_cjk_runs_clean(tmp_path, langs):
    settings = Settings(use_cache=False)
    renderings = load_renderings([_case_doc(tmp_path, langs)], settings)
    assert all(len(r.sentences) == 5 for r in renderings)  # segmented at 。 as well as at .
    result = check_renderings(renderings, settings)
    assert _errors(result) == []
    assert not [f for f in result.findings if f.severity == Severity.WARNING]


@pytest.mark.parametrize("lang", ["zh", "ja", "ko"])
def test_cjk_with_names_codes_quotes_and_myriads(doc, lang):
    settings = Settings(use_cache=False)
    result = check_renderings(load_renderings([doc({"en": HOSTILE["en"], lang: HOSTILE[lang]})], settings),
                              settings)
    assert _errors(result) == []
    kinds = {f.kind for f in result.findings if f.severity != Severity.INFO}
    assert not kinds & {"glued_word", "doubled_word", "truncation", "untranslated", "number_mismatch"}


@pytest.mark.skipif(not CASE.is_dir(), reason="the shared reliability cases are not checked out")
def test_case_03_cli_exit_code(tmp_path):
    from typer.testing import CliRunner  # noqa: PLC0415

    from consistency.cli import app  # noqa: PLC0415

    out = CliRunner().invoke(app, ["check", str(_case_doc(tmp_path, ["en", "zh"])), "-q", "--no-backtranslate",
                                   "--no-cache"])
    assert out.exit_code in (0, 1), out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize("text,expected", [
    ("使用GPU训练模型", ["使用", "GPU", "训练模型"]),
    ("市立図書館は2021年3月に", ["市立図書館は", "2021", "年", "3", "月に"]),
    ("GPU를 2021년 H100을", ["GPU", "를", "2021년", "H100", "을"]),
    ("ภาษาไทย ok", ["ภาษาไทย", "ok"]),
    ("rekan-rekan H100 d'IA Süden", ["rekan-rekan", "H100", "d", "IA", "Süden"]),
])
def test_tokens_split_scripts(text, expected):
    assert [t.text for t in tokens(text)] == expected


@pytest.mark.parametrize("word,is_unspaced", [("图书馆", True), ("閲覧室", True), ("カタカナ", True), ("ภาษา", True),
                                               ("도서관", False), ("Lopez", False), ("2021", False)])
def test_unspaced_words(word, is_unspaced):
    assert unspaced(word) is is_unspaced


@pytest.mark.parametrize("lang,is_spaced", [("zh", False), ("zh-Hant", False), ("ja", False), ("th", False),
                                             ("ko", True), ("en", True), ("pt-BR", True)])
def test_spaced_languages(lang, is_spaced):
    assert spaced(lang) is is_spaced


@pytest.mark.parametrize("text,lang,values", [
    ("市图书馆于2021年3月开设", "zh", [2021, 3]),
    ("的12,000多本书", "zh", [12000]),
    ("花费了560万美元", "zh", [5.6]),       # '5.6 million'
    ("1.2亿人", "zh", [120]),               # '120 million'
    ("3万人", "ja", [30000]),
    ("560만 달러", "ko", [5.6]),
    ("phase2 and H100", "en", []),           # digits inside codes are no numbers
    ("la versión1.0 y H1.5", "es", []),      # nor a version glued to a word, past its dot
    ("Linux 2.6.32 y 1,5", "es", [2.6, 32, 1.5]),
])
def test_cjk_numbers(text, lang, values):
    assert [n.value for n in numbers(text, lang)] == values


@pytest.mark.parametrize("text,lang,value", [("三週間", "ja", 3), ("借期三周", "zh", 3), ("세 권", "ko", 3),
                                             ("in March 2021", "en", 3), ("다섯 권", "ko", 5)])
def test_spelled_numbers_and_months(text, lang, value):
    assert value in _Spelled(text, lang)


@pytest.mark.parametrize("text,glued", [("他说“你好”。", False), ('그는 "안녕"이라고', False), ("das“Wort", True)])
def test_quotes_between_characters(text, glued):
    assert bool(_QUOTE_GLUE.search(text)) is glued


def test_no_tokenizer_means_no_word_knowledge(monkeypatch):
    """Without jieba/MeCab a language has no word knowledge: no crash, zipf 0, one notice to print."""
    for mod in ("jieba", "MeCab", "wordfreq.chinese", "wordfreq.mecab"):
        monkeypatch.setitem(sys.modules, mod, None)  # importing it raises ImportError
    text_mod._wordfreq_works.cache_clear()
    text_mod.zipf.cache_clear()
    monkeypatch.setattr(text_mod, "_unusable", {})
    try:
        assert zipf("中国", "zh") == 0.0 and not has_wordlist("zh")
        assert zipf("日本", "ja") == 0.0 and not has_wordlist("ja")
        assert zipf("the", "en") > 7
        notices = text_mod.word_knowledge_notices()
        assert len(notices) == 2 and "no word knowledge for ja" in notices[0] and "wordfreq[cjk]" in notices[1]
    finally:
        text_mod._wordfreq_works.cache_clear()
        text_mod.zipf.cache_clear()


def test_third_party_warnings_stay_off_stderr(capfd):
    text_mod.zipf.cache_clear()
    zipf("ภาษา", "th")  # wordfreq: "we don't have a tokenizer for Thai"
    zipf("中国", "zh")  # jieba: "Building prefix dict …"
    captured = capfd.readouterr()
    assert captured.err == ""
