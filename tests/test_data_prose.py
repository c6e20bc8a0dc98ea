"""The English prose corpus (Python's own documentation topics): seeded, disjoint, complete."""

import pytest

from course.data import load_prose, prose_topics


def test_split_is_seeded_and_reproducible():
    a, b = load_prose(seed=3), load_prose(seed=3)
    assert a.train == b.train and a.validation == b.validation
    c = load_prose(seed=4)
    assert c.validation_topics != a.validation_topics


def test_split_is_by_topic_disjoint_and_complete():
    split = load_prose(seed=0, validation_fraction=0.1)
    topics = prose_topics()
    assert not set(split.train_topics) & set(split.validation_topics)
    assert set(split.train_topics) | set(split.validation_topics) == set(topics)
    for name in split.validation_topics:
        assert topics[name] in split.validation and topics[name] not in split.train
    total = sum(len(t) for t in topics.values())
    share = sum(len(topics[n]) for n in split.validation_topics) / total
    assert 0.08 < share <= 0.1, share


def test_corpus_is_several_hundred_kilobytes_of_ascii_english():
    split = load_prose(seed=0)
    assert 300_000 < len(split.train) + len(split.validation) < 700_000
    assert split.alphabet.isascii() and len(split.alphabet) < 100
    assert split.train.count(" the ") > 1000
    rules = [line for line in split.train.splitlines() if line.strip() and set(line) <= set(" +-=|")]
    assert not rules, f"table borders are removed, found {rules[:3]}"


def test_raw_text_is_available_unchanged():
    raw = prose_topics(clean=False)
    assert len(raw) > 70 and any(not text.isascii() for text in raw.values())


def test_bad_fraction_is_a_clear_error():
    with pytest.raises(ValueError, match="validation_fraction"):
        load_prose(validation_fraction=0.0)
