"""Hypothesis strategies: IFEval arguments drawn as the dataset's, and replies around each rule.

A reply is a join of fragments chosen for the instruction under test (the
keyword in several cases, a bullet line, a `***` divider...) with separators
that matter to the rules (spaces, newlines, blank lines), plus fragments every
reply may hold: a chatty first line, a closing line, asterisks, since those
are what the loose variants take away. Thresholds are drawn near the counts
the fragments produce, so both verdicts occur.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["CASES", "HUB_ARGUMENT_NAMES", "LANGUAGE_IDS", "as_hub_row", "reply_from"]

Args = dict[str, Any]

COMMON = [
    "Sure, here is my answer:",
    "Hope this helps!",
    "**Note**",
    "*",
    "",
    "  ",
    "The end.",
]
SEPARATORS = ["", " ", "  ", "\n", "\n\n", "\n\n\n", " \n", "\t"]


def reply_from(fragments: list[str], max_size: int = 10) -> st.SearchStrategy[str]:
    """Replies made of `fragments` (and the common ones), joined by meaningful separators."""
    pieces = st.lists(
        st.tuples(st.sampled_from(fragments + COMMON), st.sampled_from(SEPARATORS)),
        max_size=max_size,
    )
    return pieces.map(lambda parts: "".join(text + sep for text, sep in parts))


RELATIONS = ["less than", "at least"]
KEYWORDS = ["python", "data", "rain", "AI", "cat", "e.g."]
FILLER = ["The", "a", "sentence", "words", "and", "more", "text", "ok", "It", "is"]
SENTENCES = [
    "This is a sentence.",
    "Is it?",
    "Wow!",
    "Dr. Smith went to Washington.",
    "It costs 3.5 dollars, e.g. cheap.",
    "The U.S. is big.",
    "no capital here",
    '"Quoted," she said.',
    "Ellipsis... then more.",
    "However it works.",
    "Mr. and Mrs. Jones arrived at 5 p.m. yesterday.",
]
LANG_TEXTS = {
    "en": "The weather is very nice today and we are going to the park together.",
    "fr": "Le temps est très beau aujourd'hui et nous allons au parc ensemble.",
    "de": "Das Wetter ist heute sehr schön und wir gehen zusammen in den Park.",
    "es": "El tiempo está muy bueno hoy y vamos juntos al parque.",
    "it": "Il tempo è molto bello oggi e andiamo insieme al parco.",
    "pt": "O tempo está muito bom hoje e vamos juntos ao parque.",
    "ru": "Сегодня очень хорошая погода, и мы вместе идём в парк.",
    "fi": "Sää on tänään todella kaunis ja menemme yhdessä puistoon.",
    "ja": "今日はとても天気が良いので、一緒に公園に行きます。",
    "ko": "오늘은 날씨가 아주 좋아서 우리는 함께 공원에 갑니다.",
    "hi": "आज मौसम बहुत अच्छा है और हम साथ में पार्क जा रहे हैं।",
    "ar": "الطقس جميل جدا اليوم وسنذهب إلى الحديقة معا.",
}
LANGUAGE_IDS = {
    "language:response_language",
    "change_case:english_capital",
    "change_case:english_lowercase",
}


def _kw(**fixed: st.SearchStrategy[Any]) -> st.SearchStrategy[Args]:
    return st.fixed_dictionaries(fixed)


def _keywords() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(keywords=st.lists(st.sampled_from(KEYWORDS), min_size=1, max_size=3))
    words = KEYWORDS + [k.upper() for k in KEYWORDS] + [k.title() for k in KEYWORDS] + FILLER
    return args, reply_from([*words, "raining", "database", "cats", "egg"], 14)


def _frequency() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(
        keyword=st.sampled_from([*KEYWORDS, " data "]),
        frequency=st.integers(1, 5),
        relation=st.sampled_from(RELATIONS),
    )
    words = KEYWORDS + [k.upper() for k in KEYWORDS] + ["raining", "metadata", *FILLER]
    return args, reply_from(words, 16)


def _forbidden() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(forbidden_words=st.lists(st.sampled_from(KEYWORDS[:5]), min_size=1, max_size=3))
    words = [*KEYWORDS[:5], "RAIN", "Python's", "raining", "catalog", "data-driven", *FILLER]
    return args, reply_from(words, 10)


def _letters() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(
        letter=st.sampled_from(list("aeszq")),
        let_frequency=st.integers(1, 12),
        let_relation=st.sampled_from(RELATIONS),
    )
    return args, reply_from(["a", "A", "e", "E", "aa", "sea", "zzz", "Quiz", "xyz"], 16)


def _language() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(language=st.sampled_from(sorted(LANG_TEXTS)))
    texts = list(LANG_TEXTS.values())
    return args, reply_from([*texts, "123 456", "OK", "..."], 3)


def _case_texts() -> st.SearchStrategy[str]:
    english = [LANG_TEXTS["en"], "hello world", "I AM FINE", "All Good here", "42"]
    variants = [*english, *(t.upper() for t in english), *(t.lower() for t in english)]
    variants += [LANG_TEXTS["fr"].upper(), LANG_TEXTS["de"].lower(), LANG_TEXTS["ru"]]
    return reply_from(variants, 3)


def _sentences() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_sentences=st.integers(1, 8), relation=st.sampled_from(RELATIONS))
    return args, reply_from(SENTENCES, 10)


def _words() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_words=st.integers(1, 25), relation=st.sampled_from(RELATIONS))
    words = [*FILLER, "don't", "e-mail", "123", "café", "naïve_word", "—", "3.14", "U.S.A."]
    return args, reply_from(words, 20)


def _paragraphs() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_paragraphs=st.integers(1, 5))
    return args, reply_from(["***", " *** ", "\n***\n", "****", "* * *", *SENTENCES[:4]], 12)


def _nth_paragraph() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = st.integers(1, 4).flatmap(
        lambda n: _kw(
            num_paragraphs=st.just(n),
            nth_paragraph=st.integers(1, n),
            first_word=st.sampled_from(["first", "data", "Summary"]),
        )
    )
    starts = ["First", "first,", '"Data"', "'data'", "DATA.", "summary:", "Summary!", "firstly"]
    return args, reply_from([*starts, "\n\n", *SENTENCES[:3]], 12)


def _placeholders() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_placeholders=st.integers(1, 4))
    marks = ["[name]", "[ ]", "[]", "[a [b]]", "[multi\nline]", "]", "[", "[address]"]
    return args, reply_from([*marks, *FILLER], 10)


def _postscript() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(postscript_marker=st.sampled_from(["P.S.", "P.P.S", "PS:", "Note"]))
    marks = ["P.S.", "p.s. hi", "P. S.", "P.P.S", "P. P. S", "PS: x", "note this", "PPS"]
    return args, reply_from([*marks, "\n", *FILLER], 8)


def _bullets() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_bullets=st.integers(1, 5))
    lines = ["* item", "- item", "** bold", "  * indented", "*x", "+ plus", "1. one", "-", "*"]
    return args, reply_from([*lines, "\n", "\n"], 12)


def _constrained() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    options = ["My answer is yes.", "My answer is no.", "My answer is maybe.", "My answer is yes"]
    return st.just({}), reply_from([*options, "my answer is no.", "Yes."], 4)


def _highlights() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(num_highlights=st.integers(1, 4))
    spans = ["*key*", "**bold**", "* *", "***", "*multi\nline*", "***both***", "** **", "*a"]
    return args, reply_from([*spans, *FILLER], 10)


def _sections() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(
        section_spliter=st.sampled_from(["Section", "SECTION", "PARAGRAPH", "Day"]),
        num_sections=st.integers(1, 5),
    )
    marks = ["Section 1", "SECTION 2", "Section2", "Section X", "PARAGRAPH 3", "Day 1", "section 4"]
    return args, reply_from([*marks, "\n", *SENTENCES[:3]], 10)


def _json() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    bodies = ['{"a": 1}', "[1, 2]", '"text"', "3", "{a: 1}", "{", "}", "null", "```json", "```"]
    bodies += ["```JSON", "```Json", "Here is JSON:", "\n"]
    return st.just({}), reply_from(bodies, 5)


def _title() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    marks = ["<<Title>>", "<< >>", "<<a\nb>>", "<<<x>>>", "<>", "<<", ">>", "Title"]
    return st.just({}), reply_from(marks, 6)


def _two_responses() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    parts = ["******", "*******", "answer one", "answer two", "answer one", "***"]
    return st.just({}), reply_from(parts, 7)


def _repeat() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    prompt = "Write a poem about the sea."
    args = _kw(prompt_to_repeat=st.sampled_from([prompt, "  Say hi. "]))
    parts = [prompt, prompt.upper(), "Write a poem", "Say hi.", "say HI.", "Here:", *FILLER[:3]]
    return args, reply_from(parts, 5)


def _end() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    phrases = ["Any other questions?", "Is there anything else I can help with?"]
    args = _kw(end_phrase=st.sampled_from(phrases))
    parts = [*phrases, "any other QUESTIONS?", '"', "Any other questions", *FILLER[:4]]
    return args, reply_from(parts, 6)


def _quotation() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    return st.just({}), reply_from(['"', "“", "'", "text", '""', '"hi"'], 6)


def _capital_words() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    args = _kw(capital_frequency=st.integers(1, 6), capital_relation=st.sampled_from(RELATIONS))
    words = ["HELLO", "World", "I", "U.S.A.", "DON'T", "A-B", "ok", "NASA's", "123", "!", "..."]
    return args, reply_from(words, 14)


def _no_comma() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    return st.just({}), reply_from([",", "\uff0c", "a", "b, c", "text"], 6)  # and a full-width one


def _language_case() -> tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]:
    return st.just({}), _case_texts()


CASES: dict[str, tuple[st.SearchStrategy[Args], st.SearchStrategy[str]]] = {
    "keywords:existence": _keywords(),
    "keywords:frequency": _frequency(),
    "keywords:forbidden_words": _forbidden(),
    "keywords:letter_frequency": _letters(),
    "language:response_language": _language(),
    "length_constraints:number_sentences": _sentences(),
    "length_constraints:number_paragraphs": _paragraphs(),
    "length_constraints:number_words": _words(),
    "length_constraints:nth_paragraph_first_word": _nth_paragraph(),
    "detectable_content:number_placeholders": _placeholders(),
    "detectable_content:postscript": _postscript(),
    "detectable_format:number_bullet_lists": _bullets(),
    "detectable_format:constrained_response": _constrained(),
    "detectable_format:number_highlighted_sections": _highlights(),
    "detectable_format:multiple_sections": _sections(),
    "detectable_format:json_format": _json(),
    "detectable_format:title": _title(),
    "combination:two_responses": _two_responses(),
    "combination:repeat_prompt": _repeat(),
    "startend:end_checker": _end(),
    "startend:quotation": _quotation(),
    "change_case:capital_word_frequency": _capital_words(),
    "change_case:english_capital": _language_case(),
    "change_case:english_lowercase": _language_case(),
    "punctuation:no_comma": _no_comma(),
}

# Every argument name the Hub's parquet has; a row sets those of its instruction, the
# rest are null, and both graders must ignore them.
HUB_ARGUMENT_NAMES = [
    "num_highlights",
    "relation",
    "num_words",
    "num_placeholders",
    "prompt_to_repeat",
    "num_paragraphs",
    "postscript_marker",
    "first_word",
    "nth_paragraph",
    "language",
    "num_bullets",
    "section_spliter",
    "num_sections",
    "capital_relation",
    "capital_frequency",
    "keywords",
    "keyword",
    "frequency",
    "forbidden_words",
    "letter",
    "let_frequency",
    "let_relation",
    "num_sentences",
    "end_phrase",
]


def as_hub_row(args: Args) -> Args:
    """The arguments as the parquet stores them: every name present, unused ones null."""
    return {name: args.get(name) for name in HUB_ARGUMENT_NAMES}
