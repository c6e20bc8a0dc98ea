"""English prose that every Python installation already has: the documentation topics that
``pydoc`` shows for ``help("if")``, ``help("lists")`` and so on, stored in the standard library as
``pydoc_data.topics``. About 465,000 characters in 79 topics (Python 3.11.7), technical English
with code examples; read from memory, so nothing touches the network or the disk.

The split is by topic (a topic is never cut in two), seeded, so the same seed gives the same
training and validation text on every machine with the same Python version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# typographic punctuation -> ASCII, so a character model needs no rare symbols for them
_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "--", "\u2026": "...", "\u00df": "ss", "\u00b0": " degrees"})
# the ruled borders of the tables ("+-----+----+", "=====  ====") carry no language
_RULE = re.compile(r"^[ +=|\-]*$")


@dataclass(frozen=True)
class ProseSplit:
    """Training and validation text (``str``) and the topics each one holds."""

    train: str
    validation: str
    train_topics: tuple[str, ...]
    validation_topics: tuple[str, ...]

    @property
    def alphabet(self) -> str:
        """Every character of both parts, sorted: the vocabulary of a character model."""
        return "".join(sorted(set(self.train) | set(self.validation)))


def prose_topics(clean: bool = True) -> dict[str, str]:
    """The 79 topics, name -> text. ``clean`` turns typographic punctuation into ASCII, drops the
    lines that only draw table borders, strips trailing spaces and squeezes blank lines."""
    from pydoc_data.topics import topics

    if not clean:
        return dict(topics)
    cleaned = {}
    for name, text in topics.items():
        lines = [line.rstrip() for line in text.translate(_ASCII).splitlines()]
        lines = [line for line in lines if line == "" or not _RULE.match(line)]
        cleaned[name] = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
    return cleaned


def load_prose(seed: int = 0, validation_fraction: float = 0.1, clean: bool = True) -> ProseSplit:
    """Split the documentation topics into training and validation text.

    Args:
        seed: seeds the order in which topics are considered for validation.
        validation_fraction: target share of the characters held out. Topics are taken, in a seeded
            random order, into validation while they fit under the target, so the share is at most
            this and usually within a few hundred characters of it.
        clean: see :func:`prose_topics`.

    Each part is its topics joined by a blank line, in alphabetical order of their names.
    """
    if not 0.0 < validation_fraction < 1.0:
        raise ValueError(f"validation_fraction must lie strictly between 0 and 1, got {validation_fraction}")
    texts = prose_topics(clean)
    names = sorted(texts)
    target = validation_fraction * sum(len(texts[n]) for n in names)
    held, size = set(), 0
    for index in np.random.default_rng(seed).permutation(len(names)):
        name = names[index]
        if size + len(texts[name]) <= target:
            held.add(name)
            size += len(texts[name])
    train_names = tuple(n for n in names if n not in held)
    validation_names = tuple(n for n in names if n in held)
    join = lambda chosen: "\n".join(texts[n] for n in chosen)
    return ProseSplit(join(train_names), join(validation_names), train_names, validation_names)
