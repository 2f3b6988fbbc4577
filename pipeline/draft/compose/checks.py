"""Is a draft something a facilitator can hand out? The form rules, as a checklist.

Used by ``benchmarks/drafting.py`` to measure every drafter alike (composed or from a
language model), and by tests. A draft is well formed when:

- its challenge starts with the language's stem ("Comment pourrions-nous"), ends with "?",
  has 6 to 30 words, quotes no note and is in the output language (by the language
  identifier the pipeline uses for notes);
- its title is a phrase of at most 8 words, not a "·" list of keywords, and no placeholder.
"""

from __future__ import annotations

from pipeline.draft.compose.questions import RULES
from pipeline.draft.compose.wording import WORDING
from pipeline.schema import Draft

QUOTES = '«»“”„"'
MIN_QUESTION_WORDS = 6
MAX_QUESTION_WORDS = 30
MAX_TITLE_WORDS = 8


def form_problems(draft: Draft, language: str) -> list[str]:
    """What keeps ``draft`` from being handed out as it is; empty when it is well formed."""
    from pipeline.config import SUPPORTED_LANGUAGES
    from pipeline.prepare.language import detect_language

    problems = []
    question = draft.challenge.text.strip()
    words = question.split()
    if language in RULES and not question.startswith(RULES[language].stem):
        problems.append("the challenge does not start with the language's stem")
    if not question.endswith("?"):
        problems.append("the challenge is not a question")
    if not MIN_QUESTION_WORDS <= len(words) <= MAX_QUESTION_WORDS:
        problems.append(f"the challenge has {len(words)} words")
    if any(q in question for q in QUOTES):
        problems.append("the challenge quotes a note")
    if language in WORDING and question == WORDING[language].no_question:
        problems.append("no challenge could be composed")
    elif detect_language(question, SUPPORTED_LANGUAGES).lang != language:
        problems.append("the challenge is not in the output language")
    title = draft.title.text.strip()
    if "·" in title:
        problems.append("the title is a keyword list")
    if not title or len(title.split()) > MAX_TITLE_WORDS:
        problems.append(f"the title has {len(title.split())} words")
    if language in WORDING and title == WORDING[language].untitled:
        problems.append("no title could be composed")
    return problems
