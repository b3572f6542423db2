"""Precision and recall of the reprint matcher on the labelled pairs of tests/data/reprint_pairs.yaml.

Run with ``-s`` to see the figures and every misjudged pair.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from ckanext.hlj.reprint.matcher import SiteItem, SourceItem, match_pair

PAIRS = Path(__file__).parent / "data" / "reprint_pairs.yaml"
TARGET = 0.95
HARD_NEGATIVE_KINDS = {
    "other_year",
    "other_docno",
    "genre",
    "derived",
    "provincial",
    "other_city",
    "topic_near",
}
FULL_WIDTH = str.maketrans({**{chr(0x30 + i): chr(0xFF10 + i) for i in range(10)}, "，": ",", "。": "."})


def _site_body(pair: dict, sources: dict) -> str | None:
    if "body_from" not in pair:
        return pair.get("body")
    body = sources[pair["body_from"]]["body"]
    if "body_lines" in pair:
        body = "\n".join(body.splitlines()[: pair["body_lines"]])
    if pair.get("body_transform") == "width":
        body = body.translate(FULL_WIDTH)
    elif pair.get("body_transform") == "reflow":
        body = body.replace("\n", "")
    return pair.get("body_prefix", "") + body + pair.get("body_suffix", "")


@pytest.fixture(scope="module")
def labelled():
    data = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    sources = data["sources"]
    out = []
    for number, pair in enumerate(data["pairs"], start=1):
        spec = sources[pair["source"]]
        source = SourceItem(
            pair["source"], spec["title"], spec.get("doc_number"), spec["published_at"], body=spec.get("body")
        )
        item = SiteItem(
            "site",
            pair["title"],
            pair.get("doc_number"),
            pair["published_at"],
            f"pair-{number}",
            _site_body(pair, sources),
        )
        out.append((pair, source, item))
    return out


def test_the_labelled_set_is_large_and_hard_enough(labelled):
    assert len(labelled) >= 150
    labels = Counter(pair["match"] for pair, _, _ in labelled)
    assert set(labels) == {True, False}
    assert labels[False] >= 0.35 * len(labelled)
    kinds = Counter(pair["kind"] for pair, _, _ in labelled if not pair["match"])
    assert HARD_NEGATIVE_KINDS <= set(kinds)
    assert sum(kinds[kind] for kind in HARD_NEGATIVE_KINDS) >= 50
    assert (
        sum(1 for pair, _, _ in labelled if pair["match"] and pair["kind"] == "exact") < 0.25 * labels[True]
    )


def test_precision_and_recall(labelled):
    outcome = Counter()
    by_kind: dict[str, Counter] = {}
    wrong = []
    for pair, source, item in labelled:
        found = match_pair(source, item)
        predicted, actual = found is not None, bool(pair["match"])
        outcome[(predicted, actual)] += 1
        by_kind.setdefault(pair["kind"], Counter())[predicted == actual] += 1
        if predicted != actual:
            wrong.append(
                f"  {'FP' if predicted else 'FN'} [{pair['kind']}] {pair['title']}  (source {pair['source']})"
            )
    tp, fp, fn = outcome[(True, True)], outcome[(True, False)], outcome[(False, True)]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\nreprint matcher on {len(labelled)} labelled pairs: precision {precision:.3f}, recall {recall:.3f}"
    )
    print(f"  TP {tp}  FP {fp}  FN {fn}  TN {outcome[(False, False)]}")
    print(
        "  by kind (right/all): "
        + ", ".join(f"{k} {c[True]}/{c[True] + c[False]}" for k, c in sorted(by_kind.items()))
    )
    print("\n".join(wrong))
    assert precision >= TARGET
    assert recall >= TARGET


def test_every_match_explains_itself(labelled):
    for _, source, item in labelled:
        found = match_pair(source, item)
        if found is not None:
            assert found.reason in ("doc_number", "title", "similar")
            assert 0 < found.score <= 1
            assert found.lag_hours >= 0
