"""Which site items reprint which watched items, and were the reprints on time?

A site item reprints a watched (source) item when it was published no earlier than the source item (compared by
date when either side has only a date), years written in both titles agree, and

1. ``doc_number``: both carry a 文号 (the 文号 field, or one written in the title) and the normalised 文号 are
   equal, the site item not being a 解读/答记者问 of it. Different 文号 on both sides rule the pair out whatever
   the titles say;
2. ``title``: the titles are equal once normalised (:func:`~ckanext.hlj.reprint.normalise.normalise_title`) and
   the issuer set aside, and the issuers do not contradict each other (国务院 vs 国务院办公厅 do; a missing
   issuer does not); or the site's title is cut off (``…``) and what it shows is the beginning of the source
   item's title (score: the share shown);
3. ``similar``: the titles are near duplicates — Indel similarity (2·LCS/(s+t)) at least ``title_threshold``,
   no differing run longer than ``max_edit_run`` characters and the same
   :func:`~ckanext.hlj.reprint.normalise.title_signature` (意见 vs 实施意见, 解读, 暂行, 省/市, numbers…) — or
   both bodies are present, the title bigram sets overlap (Dice ≥ ``body_title_threshold``, word order free: a
   rewritten headline) and the bodies are near duplicates (clause overlap ≥ ``body_threshold``; score: the
   mean of both).

Title-based matches (2, 3) also need compatible issuers, the same numbers in the titles (years, 第三批, 十三五),
the site item within ``max_lag_days`` of the source item (a same-name document of a later year is not a
reprint) and, when both bodies are present, bodies sharing at least ``body_veto`` of their clauses (two
documents with one name).

:class:`ReprintMatcher` indexes the site items once and sends every source item through :func:`decide`, the
same pair decision :func:`naive_verdicts` applies to every pair, with only the candidates its indexes return;
the indexes are built so that no pair the decision could accept is left out (see the class). If several items
of a site match, the earliest published one counts.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from ckanext.hlj.catalogue.dates import SHANGHAI, parse_date_or_datetime

from .normalise import (
    MIN_CLAUSE,
    TitleKey,
    body_fingerprint,
    body_similarity,
    derived_markers,
    issuers_compatible,
    normalise_doc_number,
    title_key,
    title_numbers,
    title_signature,
)

DEFAULT_SLA_HOURS = 24.0
REASONS = ("doc_number", "title", "similar")
STATUSES = ("on_time", "late", "missing", "pending")
_REASON_RANK = {reason: rank for rank, reason in enumerate(REASONS)}
_EPSILON = 1e-9  # tolerance of every threshold comparison
# The candidate filters run rapidfuzz with a cutoff this much below the threshold (its normalized cutoffs are not
# exact at the boundary); decide() then applies the exact test.
_FILTER_MARGIN = 1e-4
_CODE_BASE = 0x10000  # first code point of the bigram-rank codes (above the BMP: no surrogates in between)
_PREFIX_KEY = 12  # characters of a cut-off title used as its index key (and the least that is accepted)


@dataclass(frozen=True)
class MatchConfig:
    """Thresholds of the pair decision (tuned on tests/data/reprint_pairs.yaml; see benchmarks/README.md)."""

    title_threshold: float = 0.9  # Indel similarity of the titles (issuer set aside) for a title-only match
    max_edit_run: int = 1  # longest run of differing characters a title-only match may have
    body_title_threshold: float = 0.6  # Dice of the title bigram sets when the bodies confirm the match
    body_threshold: float = 0.6  # clause overlap of the bodies that confirms a near-duplicate
    body_veto: float = 0.2  # bodies sharing less than this rule out a title-based match
    min_body_clauses: int = 5  # a body with fewer clauses (a stub, "详见附件") is treated as absent
    max_lag_days: float = 180.0  # title-based matches further apart are same-name documents, not reprints
    min_title_chars: int = 4  # shorter normalised titles (通知, 公告) never match by title
    truncated_min_share: float = 0.6  # a cut-off title must show at least this share of the source title


DEFAULT_CONFIG = MatchConfig()


def as_moment(value: object) -> date | datetime:
    """A date (date-only value) or an aware datetime in Asia/Shanghai; strings are parsed (ISO 8601 and the
    Chinese forms of :func:`~ckanext.hlj.catalogue.dates.parse_date_or_datetime`), naive datetimes are Shanghai."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value.astimezone(SHANGHAI)
    if isinstance(value, date):
        return value
    return parse_date_or_datetime(value)


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


@dataclass(frozen=True, slots=True)
class SourceItem:
    """A watched item: published by the State Council or the provincial government, to be reprinted."""

    id: str
    title: str
    doc_number: str | None
    published_at: date | datetime
    url: str = ""
    body: str | None = None
    sites: frozenset[str] | None = None  # the sites obliged to reprint it; None = every site

    def __post_init__(self):
        object.__setattr__(self, "published_at", as_moment(self.published_at))
        if self.sites is not None and not isinstance(self.sites, frozenset):
            object.__setattr__(self, "sites", frozenset(self.sites))


@dataclass(frozen=True, slots=True)
class SiteItem:
    """An item harvested from a department's or a city/county government's site."""

    site: str
    title: str
    doc_number: str | None
    published_at: date | datetime
    url: str = ""
    body: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "published_at", as_moment(self.published_at))


@dataclass(frozen=True, slots=True)
class Match:
    source_id: str
    site: str
    site_url: str
    reason: str  # 'doc_number' | 'title' | 'similar'
    score: float
    lag_hours: float
    published_at: date | datetime | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    source_id: str
    site: str
    status: str  # 'on_time' | 'late' | 'missing' | 'pending'
    matched_url: str | None = None
    lag_hours: float | None = None
    reason: str | None = None
    score: float | None = None


class _Features:
    """What the pair decision reads of one item, computed once (the body fingerprint only when needed)."""

    def __init__(self, title: str, doc_number: str | None, published_at: date | datetime, body: str | None):
        self.key: TitleKey = title_key(title or "")
        self.doc = normalise_doc_number(doc_number) or self.key.doc_number
        self.moment = published_at
        self.is_date = not isinstance(published_at, datetime)
        self.day = _day(published_at)
        self.body = body

    @cached_property
    def fingerprint(self) -> frozenset[str]:
        return body_fingerprint(self.body)

    @cached_property
    def bigrams(self) -> frozenset[str]:
        return frozenset(_bigrams(self.key.core))

    @cached_property
    def derived(self) -> frozenset[str]:
        return derived_markers(self.key.norm)

    @cached_property
    def prefix_forms(self) -> tuple[str, ...]:
        """The forms of this (source) title whose beginning a cut-off site title may show."""
        key = self.key
        forms = {key.clean, key.norm, key.core}
        position = key.clean.find("关于")
        if 0 < position <= 40:
            forms.add(key.clean[position:])
        return tuple(form for form in forms if len(form) >= _PREFIX_KEY)

    def substantive_body(self, config: MatchConfig) -> bool:
        return self.body is not None and len(self.fingerprint) >= config.min_body_clauses


def _lag_hours(source: _Features, item: _Features) -> float:
    if source.is_date or item.is_date:
        return (item.day - source.day).days * 24.0
    return (item.moment - source.moment).total_seconds() / 3600.0


def _max_edit_run(first: str, second: str) -> int:
    return max(
        (
            max(i2 - i1, j2 - j1)
            for tag, i1, i2, j1, j2 in Levenshtein.opcodes(first, second)
            if tag != "equal"
        ),
        default=0,
    )


def _reaches(value: float, threshold: float) -> bool:
    """``value >= threshold``, tolerant of float rounding in ratios such as 18/20 vs 0.9."""
    return value >= threshold - _EPSILON


def _indel_similarity(first: str, second: str, threshold: float) -> float:
    """Indel similarity 2·LCS/(s + t) when it reaches ``threshold``, else 0.0. Computed from the integer
    distance: rapidfuzz's normalized ``score_cutoff`` can reject a pair exactly at the threshold."""
    total = len(first) + len(second)
    if not total:
        return 0.0
    allowed = math.floor((1 - threshold) * total + _EPSILON * total)
    distance = Indel.distance(first, second, score_cutoff=allowed)
    return 1 - distance / total if distance <= allowed else 0.0


def _dice(first: set[str] | frozenset[str], second: set[str] | frozenset[str]) -> float:
    """Dice coefficient of two bigram sets: word order does not matter."""
    return 2 * len(first & second) / (len(first) + len(second)) if first and second else 0.0


def _truncated_share(source: _Features, item: _Features, config: MatchConfig) -> float:
    shown = item.key.clean
    if len(shown) < _PREFIX_KEY:
        return 0.0
    best = 0.0
    for form in source.prefix_forms:
        if form.startswith(shown) and _reaches(len(shown) / len(form), config.truncated_min_share):
            best = max(best, len(shown) / len(form))
    return best


def _body_score(source: _Features, item: _Features, config: MatchConfig) -> float | None:
    """Clause overlap of the bodies, or None when either body is missing or a stub."""
    if source.substantive_body(config) and item.substantive_body(config):
        return body_similarity(source.fingerprint, item.fingerprint)
    return None


def _title_only(source: _Features, item: _Features, config: MatchConfig):
    """('title' | 'similar', score) from the titles alone, else None."""
    skey, ikey = source.key, item.key
    if skey.core == ikey.core:
        return ("title", 1.0)
    if ikey.truncated and (share := _truncated_share(source, item, config)):
        return ("title", share)
    ratio = _indel_similarity(skey.core, ikey.core, config.title_threshold)
    if (
        ratio
        and title_signature(skey.core) == title_signature(ikey.core)
        and _max_edit_run(skey.core, ikey.core) <= config.max_edit_run
    ):
        return ("similar", ratio)
    return None


def _by_title(source: _Features, item: _Features, config: MatchConfig, lag: float):
    """('title' | 'similar', score) when no 文号 decides, else None."""
    skey, ikey = source.key, item.key
    if (
        min(len(skey.core), len(ikey.core)) < config.min_title_chars
        or lag > config.max_lag_days * 24
        or not issuers_compatible(skey.issuer, ikey.issuer)
        or title_numbers(skey.core) != title_numbers(ikey.core)
    ):
        return None
    if (decision := _title_only(source, item, config)) is not None:
        body_score = _body_score(source, item, config)
        return None if body_score is not None and not _reaches(body_score, config.body_veto) else decision
    # A rewritten headline (国务院印发指导意见 加快推进…) may differ in its words and their order, not in its
    # numbers: the bigram sets of the titles must overlap and the bodies must be near duplicates.
    dice = _dice(source.bigrams, item.bigrams)
    if _reaches(dice, config.body_title_threshold):
        body_score = _body_score(source, item, config)
        if body_score is not None and _reaches(body_score, config.body_threshold):
            return ("similar", (dice + body_score) / 2)
    return None


def decide(
    source: _Features, item: _Features, config: MatchConfig = DEFAULT_CONFIG
) -> tuple[str, float, float] | None:
    """The pair decision shared by the indexed and the naive matcher: (reason, score, lag hours) or None."""
    lag = _lag_hours(source, item)
    if lag < 0:
        return None
    skey, ikey = source.key, item.key
    if skey.years and ikey.years and skey.years.isdisjoint(ikey.years):
        return None
    if source.doc and item.doc:
        matched = source.doc == item.doc and item.derived <= source.derived
        return ("doc_number", 1.0, lag) if matched else None
    decision = _by_title(source, item, config, lag)
    return None if decision is None else (*decision, lag)


def match_pair(source: SourceItem, item: SiteItem, config: MatchConfig = DEFAULT_CONFIG) -> Match | None:
    """Does ``item`` reprint ``source``? One pair, no index (for tests and explanations)."""
    decision = decide(_source_features(source), _item_features(item), config)
    if decision is None:
        return None
    reason, score, lag = decision
    return Match(source.id, item.site, item.url, reason, score, lag, item.published_at)


def _source_features(source: SourceItem) -> _Features:
    return _Features(source.title, source.doc_number, source.published_at, source.body)


def _item_features(item: SiteItem) -> _Features:
    return _Features(item.title, item.doc_number, item.published_at, item.body)


@functools.lru_cache(maxsize=4096)
def _required_overlap(length: int, distinct: int, theta: float) -> int:
    """The fewest distinct bigrams a title of ``length`` characters (``distinct`` distinct bigrams) shares with
    any title whose Indel similarity to it is at least ``theta``."""
    low = max(1, math.ceil(length * theta / (2 - theta) - 1e-9))
    high = math.floor(length * (2 - theta) / theta + 1e-9)
    bound = min(
        (
            3 * math.ceil(theta * (length + other) / 2 - 1e-9) - 1 - length - other
            for other in range(low, high + 1)
        ),
        default=0,
    )
    return bound - ((length - 1) - distinct)


def _dice_overlap(size: int, delta: float) -> int:
    """The fewest bigrams a set of ``size`` shares with any set it has a Dice coefficient ≥ delta with."""
    return max(1, math.ceil(delta * size / (2 - delta) - 1e-9))


def _may_have_body(features: _Features, config: MatchConfig) -> bool:
    """Cheap necessary condition of a substantive body (enough characters for enough clauses)."""
    return features.body is not None and len(features.body) >= config.min_body_clauses * MIN_CLAUSE


def _bigrams(text: str) -> set[str]:
    return set(map(str.__add__, text, text[1:]))


def _earliest_key(item: SiteItem, features: _Features, reason: str, score: float) -> tuple:
    moment = features.moment
    if features.is_date:
        moment = datetime.combine(features.day, time.min, tzinfo=SHANGHAI)
    return (features.day, moment, _REASON_RANK[reason], -score, item.url)


def _now(now: object) -> date | datetime:
    return datetime.now(SHANGHAI) if now is None else as_moment(now)


def _unfound_status(source: _Features, sla_hours: float, now: date | datetime) -> str:
    """``missing`` once the SLA has passed by ``now`` (by date when either is date-only), else ``pending``."""
    if source.is_date or not isinstance(now, datetime):
        elapsed = (_day(now) - source.day).days * 24.0
    else:
        elapsed = (now - source.moment).total_seconds() / 3600.0
    return "missing" if elapsed > sla_hours else "pending"


def _obligated(source: SourceItem, sites: Sequence[str]) -> list[str]:
    return list(sites) if source.sites is None else [site for site in sites if site in source.sites]


def _verdicts_for(
    source: SourceItem,
    features: _Features,
    best: dict[str, tuple],
    sites: Sequence[str],
    *,
    sla_hours: float,
    now: date | datetime,
) -> list[Verdict]:
    out = []
    unfound = _unfound_status(features, sla_hours, now)
    for site in _obligated(source, sites):
        found = best.get(site)
        if found is None:
            out.append(Verdict(source.id, site, unfound))
        else:
            reason, item, lag, score = found
            status = "on_time" if lag <= sla_hours else "late"
            out.append(Verdict(source.id, site, status, item.url, lag, reason, score))
    return out


def _keep_earliest(best: dict[str, tuple], best_keys: dict[str, tuple], item, features, decision) -> None:
    reason, score, lag = decision
    order = _earliest_key(item, features, reason, score)
    if item.site not in best_keys or order < best_keys[item.site]:
        best_keys[item.site] = order
        best[item.site] = (reason, item, lag, score)


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector: building the index and the verdicts creates hundreds of thousands of
    small objects, none of them in a reference cycle, which it would otherwise rescan many times over."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class ReprintMatcher:
    """Site items indexed once; each watched item is then compared with a small candidate set only.

    Indexes: 文号; title core (issuer set aside); the first characters of cut-off titles; and, for the similarity
    paths, two prefix-filtering indexes over the title bigrams. Every title path needs compatible issuers and
    the same title numbers, so those postings are keyed by (issuer, numbers, bigram). The bigrams of a title are
    put in a global order (rarest among the site titles first); a site title is posted under the first
    ``|B| − α + 1`` of them only, α being the fewest bigrams it must share with any title that reaches the
    threshold (Indel ≥ title_threshold; for titles with a body also Dice ≥ body_title_threshold), and a source
    title looks up its own first ``|A| − α + 1``: two titles sharing at least max(α_A, α_B) bigrams have a
    bigram in both prefixes, so no pair that could match is missed.
    """

    def __init__(self, site_items: Iterable[SiteItem], config: MatchConfig = DEFAULT_CONFIG):
        self.config = config
        self.items: list[SiteItem] = list(site_items)
        self.sites: list[str] = sorted({item.site for item in self.items})
        self._by_doc: dict[str, list[int]] = defaultdict(list)
        self._by_core: dict[str, list[int]] = defaultdict(list)
        self._by_prefix: dict[str, list[int]] = defaultdict(list)
        self._lengths: dict[int, list[int]] = defaultdict(list)
        self._short: dict[int, list[int]] = defaultdict(list)  # titles too short for the bigram bound
        self._title_prefixes: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._dice_prefixes: dict[tuple, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._compatible: dict[str, list[str]] = {}
        with _collector_paused():
            self.features: list[_Features] = [_item_features(item) for item in self.items]
            self._cores: list[str] = [features.key.core for features in self.features]
            self._codes: list[str | tuple[int, ...]] = [""] * len(self.features)
            titled, core_grams = self._index_keys()
            self._issuers: list[str] = sorted({self.features[index].key.issuer for index in titled})
            self._index_prefixes(titled, core_grams)

    def _index_keys(self) -> tuple[list[int], dict[str, set[str]]]:
        """文号, core and cut-off title indexes; the global bigram order (by the number of distinct site title
        cores holding a bigram). Returns the items with a title long enough to match by title, and the bigrams
        of each distinct core."""
        titled: list[int] = []
        core_grams: dict[str, set[str]] = {}
        frequency: Counter[str] = Counter()
        for index, features in enumerate(self.features):
            key = features.key
            if features.doc:
                self._by_doc[features.doc].append(index)
            if len(key.core) < self.config.min_title_chars:
                continue
            titled.append(index)
            self._lengths[len(key.core)].append(index)
            self._by_core[key.core].append(index)
            if key.truncated and len(key.clean) >= _PREFIX_KEY:
                self._by_prefix[key.clean[:_PREFIX_KEY]].append(index)
            if key.core not in core_grams:
                core_grams[key.core] = grams = _bigrams(key.core)
                frequency.update(grams)
        ordered = sorted(frequency.items(), key=lambda pair: (pair[1], pair[0]))
        self._rank: dict[str, int] = {gram: rank for rank, (gram, _) in enumerate(ordered)}
        self._char: dict[str, str] | None = None
        if len(self._rank) + _CODE_BASE <= sys.maxunicode:
            self._char = {gram: chr(_CODE_BASE + rank) for gram, rank in self._rank.items()}
        return titled, core_grams

    def _index_prefixes(self, titled: list[int], core_grams: dict[str, set[str]]) -> None:
        config, rank = self.config, self._rank
        theta, delta = config.title_threshold, config.body_title_threshold
        prepared: dict[str, tuple] = {}  # per distinct core: code, partition numbers, both prefixes
        for index in titled:
            features = self.features[index]
            key = features.key
            if (entry := prepared.get(key.core)) is None:
                grams = sorted(core_grams[key.core], key=rank.__getitem__)
                needed = _required_overlap(len(key.core), len(grams), theta)
                entry = (
                    self._code(grams, ordered=True),
                    title_numbers(key.core),
                    grams[: len(grams) - needed + 1] if needed >= 1 else None,
                    grams[: len(grams) - _dice_overlap(len(grams), delta) + 1],
                )
                prepared[key.core] = entry
            code, numbers, title_prefix, dice_prefix = entry
            self._codes[index] = code
            if title_prefix is None:
                self._short[len(key.core)].append(index)
            else:
                postings = self._title_prefixes[key.issuer, numbers]
                for gram in title_prefix:
                    postings[gram].append(index)
            if _may_have_body(features, config):
                postings = self._dice_prefixes[key.issuer, numbers]
                for gram in dice_prefix:
                    postings[gram].append(index)

    # -------------------------------------------------------------------------------------------- candidates

    def _ordered(self, grams: Iterable[str]) -> list[str]:
        """``grams`` in the global order: rarest among the site titles first (bigrams no site title has before
        all others), ties by the bigram itself."""
        rank = self._rank
        return sorted(grams, key=lambda gram: rank.get(gram, -1))

    def _code(self, grams: Iterable[str], *, ordered: bool = False) -> str | tuple[int, ...]:
        """A bigram set as the sorted sequence of its ranks (bigrams no site title has get ranks of their own):
        for sorted sequences of distinct elements the LCS is the intersection, so the Indel similarity of two
        codes is the Dice coefficient of the sets, computed by rapidfuzz. One character per rank when the ranks
        fit in Unicode, else a tuple of ints. ``ordered``: all of ``grams`` are site bigrams, in rank order."""
        if ordered and self._char is not None:
            return "".join(map(self._char.__getitem__, grams))
        rank, unknown = self._rank, len(self._rank)
        ranks = []
        for gram in grams:
            if (position := rank.get(gram)) is None:
                position, unknown = unknown, unknown + 1
            ranks.append(position)
        ranks.sort()
        if unknown + _CODE_BASE <= sys.maxunicode:
            return "".join([chr(_CODE_BASE + position) for position in ranks])
        return tuple(ranks)

    def _compatible_issuers(self, issuer: str) -> list[str]:
        if (issuers := self._compatible.get(issuer)) is None:
            issuers = [other for other in self._issuers if issuers_compatible(issuer, other)]
            self._compatible[issuer] = issuers
        return issuers

    def _prefix_hits(self, postings: dict, key: TitleKey, grams: list[str], needed: int) -> set[int]:
        numbers, prefix = title_numbers(key.core), grams[: len(grams) - needed + 1]
        parts = [
            postings[part]
            for issuer in self._compatible_issuers(key.issuer)
            if (part := (issuer, numbers)) in postings
        ]
        return set().union(*(part.get(gram, ()) for part in parts for gram in prefix))

    def _similar_candidates(self, features: _Features) -> Iterable[int]:
        """Site items whose title (issuer set aside) may have an Indel similarity ≥ title_threshold."""
        key, theta = features.key, self.config.title_threshold
        grams = self._ordered(features.bigrams)
        needed = _required_overlap(len(key.core), len(grams), theta)
        low = max(1, math.ceil(len(key.core) * theta / (2 - theta) - 1e-9))
        high = math.floor(len(key.core) * (2 - theta) / theta + 1e-9)
        short = [index for length in range(low, high + 1) for index in self._short.get(length, ())]
        if needed < 1:  # too short for the bigram bound: every title of a feasible length
            return [
                index for length in range(low, high + 1) for index in self._lengths.get(length, ())
            ] + short
        return self._prefix_hits(self._title_prefixes, key, grams, needed).union(short)

    def _dice_candidates(self, features: _Features) -> Iterable[int]:
        """Site items with a body whose title bigram set may have a Dice coefficient ≥ body_title_threshold."""
        grams = self._ordered(features.bigrams)
        needed = _dice_overlap(len(grams), self.config.body_title_threshold)
        return self._prefix_hits(self._dice_prefixes, features.key, grams, needed)

    def candidates(self, source: SourceItem, features: _Features | None = None) -> set[int]:
        """Indexes of the site items that may reprint ``source`` (a superset of the matches)."""
        features = features or _source_features(source)
        key, config = features.key, self.config
        found: set[int] = set()
        if features.doc:
            found.update(self._by_doc.get(features.doc, ()))
        if len(key.core) < config.min_title_chars:
            return found
        found.update(self._by_core.get(key.core, ()))
        for form in features.prefix_forms:
            found.update(self._by_prefix.get(form[:_PREFIX_KEY], ()))
        cores = self._cores
        similar = list(self._similar_candidates(features))
        hits = process.extract(
            key.core,
            [cores[index] for index in similar],
            scorer=Indel.normalized_similarity,
            score_cutoff=config.title_threshold - _FILTER_MARGIN,
            limit=None,
        )
        found.update(similar[position] for _, _, position in hits)
        if features.substantive_body(config):
            codes = self._codes
            dice = list(self._dice_candidates(features))
            hits = process.extract(
                self._code(features.bigrams),
                [codes[index] for index in dice],
                scorer=Indel.normalized_similarity,
                score_cutoff=config.body_title_threshold - _FILTER_MARGIN,
                limit=None,
            )
            found.update(dice[position] for _, _, position in hits)
        return found

    # ------------------------------------------------------------------------------------------------ results

    def _best(self, source: SourceItem, features: _Features, sites: set[str] | None) -> dict[str, tuple]:
        best: dict[str, tuple] = {}
        best_keys: dict[str, tuple] = {}
        for index in self.candidates(source, features):
            item = self.items[index]
            if sites is not None and item.site not in sites:
                continue
            decision = decide(features, self.features[index], self.config)
            if decision is not None:
                _keep_earliest(best, best_keys, item, self.features[index], decision)
        return best

    def matches(self, source: SourceItem) -> list[Match]:
        """Every site item that reprints ``source`` (all sites, any number per site), earliest first."""
        features = _source_features(source)
        out = []
        for index in self.candidates(source, features):
            decision = decide(features, self.features[index], self.config)
            if decision is not None:
                item = self.items[index]
                out.append((_earliest_key(item, self.features[index], *decision[:2]), item, decision))
        out.sort(key=lambda entry: (entry[1].site, entry[0]))
        return [
            Match(source.id, item.site, item.url, reason, score, lag, item.published_at)
            for _, item, (reason, score, lag) in out
        ]

    def first_matches(self, source: SourceItem) -> dict[str, Match]:
        """Per site, the earliest published matching item."""
        best = self._best(source, _source_features(source), None)
        return {
            site: Match(source.id, site, item.url, reason, score, lag, item.published_at)
            for site, (reason, item, lag, score) in best.items()
        }

    def verdicts(
        self,
        sources: Iterable[SourceItem],
        sites: Sequence[str] | None = None,
        sla_hours: float = DEFAULT_SLA_HOURS,
        now: object = None,
    ) -> list[Verdict]:
        """One verdict per (source item, obligated site), sources in order, sites in the order given (default:
        every site of the indexed items, sorted)."""
        sites = self.sites if sites is None else list(sites)
        site_set = set(sites)
        moment = _now(now)
        out: list[Verdict] = []
        with _collector_paused():
            for source in sources:
                features = _source_features(source)
                scope = site_set if source.sites is None else site_set & source.sites
                best = self._best(source, features, scope)
                out.extend(_verdicts_for(source, features, best, sites, sla_hours=sla_hours, now=moment))
        return out


def naive_verdicts(
    sources: Iterable[SourceItem],
    site_items: Iterable[SiteItem],
    sites: Sequence[str] | None = None,
    *,
    sla_hours: float = DEFAULT_SLA_HOURS,
    now: object = None,
    config: MatchConfig = DEFAULT_CONFIG,
    features: Sequence[_Features] | None = None,
) -> list[Verdict]:
    """The same verdicts by comparing every source item with every site item of its obligated sites (for the
    benchmark and the equivalence test). ``features`` may pass precomputed site-item features."""
    items = list(site_items)
    item_features = list(features) if features is not None else [_item_features(item) for item in items]
    sites = sorted({item.site for item in items}) if sites is None else list(sites)
    moment = _now(now)
    by_site: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_site[item.site].append(index)
    out: list[Verdict] = []
    for source in sources:
        source_features = _source_features(source)
        best: dict[str, tuple] = {}
        best_keys: dict[str, tuple] = {}
        for site in _obligated(source, sites):
            for index in by_site.get(site, ()):
                decision = decide(source_features, item_features[index], config)
                if decision is not None:
                    _keep_earliest(best, best_keys, items[index], item_features[index], decision)
        out.extend(_verdicts_for(source, source_features, best, sites, sla_hours=sla_hours, now=moment))
    return out
