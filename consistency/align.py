"""Align stage: N renderings, paragraph by paragraph, then sentence by sentence inside aligned paragraphs.

Pairwise alignment follows Vecalign (Thompson & Koehn 2019): the cost of linking two spans is their cosine distance
divided by how far each lies, on average, from the other side's units, scaled by the span sizes; leaving a unit out
costs a fixed deletion penalty. N renderings are aligned progressively (as in multiple sequence alignment): the first
rendering's units start one group each, and each further rendering is aligned to that sequence of groups, its cost
against a group being the mean of its costs against the group's members. Beads 1-0 and 0-1 let a paragraph exist in
one rendering only (a title) without shifting what follows; 1-2 and 2-1 absorb splits and merges.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
import regex

from consistency.errors import InputError
from consistency.model import Paragraph, ParagraphGroup, Rendering, SentenceGroup

def beads(max_size: int) -> tuple[tuple[int, int], ...]:
    """Bead shapes (units of the new rendering, groups): deletions, and every a-b link with a + b <= max_size
    (Vecalign's alignment_max_size)."""
    links = [(a, b) for a in range(1, max_size) for b in range(1, max_size) if a + b <= max_size]
    return ((1, 0), (0, 1), *sorted(links, key=lambda ab: (ab[0] + ab[1], ab)))
# Deletion penalty as a quantile of the normalised cost of random pairs (Vecalign's del_percentile_frac = 0.2):
# lower makes the aligner leave units out more readily.
DELETION_QUANTILE = 0.2
# Normalised costs of unrelated pairs hover around 1.0; the quantile above lands near this when too few units exist
# to sample from (a paragraph group holding one sentence per language).
FALLBACK_DELETION_PENALTY = 0.8
# Faithful pairs cost ~0.4-0.6 after normalisation; no real deletion penalty falls below this.
MIN_DELETION_PENALTY = 0.1
# Characters added to both lengths before their ratio is taken, so that short units (a title, an option name)
# do not swing the length term wildly.
LENGTH_SMOOTHING = 20.0
# Units farther than this from the length-proportional diagonal are not searched: every realistic path stays
# within it, and it bounds the work on long documents.
MIN_BAND = 40
# The band also widens by the difference in unit counts (one rendering may hold a run of units the other lacks), but
# by no more than this (or than the slope g/n needs, to stay connected): past it memory and time would grow with the
# product of the two lengths. A run of more than ~MAX_BAND extra units in one place is then left to deletions.
MAX_BAND = 250

# Bounds on the work for whole documents. Matrices of S x T entries (every unit of one rendering against every unit
# of another) are built whole only up to DENSE_CELLS entries (16 MB as float32): every normal document, with results
# exactly as they always were. Beyond it the same quantities are computed in blocks of about BLOCK_CELLS entries:
# the k-nearest-neighbour normalisers (within a window for very long texts, EXACT_CELLS), the plain means from mean
# vectors (exact), the deletion-penalty quantile from a fixed random sample of DENSE_CELLS pairs (its 1% quantile is
# then exact to ~1e-3), and the DP's link costs for the band only. So memory grows linearly with the number of
# units, and so does time (the DP band is bounded, MAX_BAND).
DENSE_CELLS = 4_000_000
BLOCK_CELLS = 1 << 20
# Nearest neighbours are searched among all units up to EXACT_CELLS pairs (~10,000 sentences a side, a 2 MB text:
# seconds), and beyond it within NEIGHBOUR_WINDOW units around the proportional position, so that time stays linear.
EXACT_CELLS = 100_000_000
NEIGHBOUR_WINDOW = 8192
# Largest rendering aligned at all. With the blocked computation above a whole-document alignment holds, per unit,
# its vector (1.5 KB), its anchors (2 KB), their running sums (3.5 KB) and up to 2 x (2 x MAX_BAND + 2) DP cells
# (10 bytes each), for each rendering: ~2-3 GB at 100,000 sentences (a ~15 MB text), and minutes of CPU per pair.
MAX_SENTENCES = 100_000


@dataclass(frozen=True)
class AlignParams:
    deletion_quantile: float = DELETION_QUANTILE
    # Extra cost of a many-to-one bead. Zero for sentences, as in Vecalign; translators rarely split or merge
    # paragraphs, so at that level a merge must pay for itself (0.3 ~ half the cost of a typical true 1-1 link
    # under e5-small on the seed essay).
    merge_penalty: float = 0.0
    # Extra cost of merging a heading with body text: a title is content of its own, never half a paragraph.
    heading_penalty: float = 0.5
    # Weight of the length term |log(length ratio / the document's ratio)| (Gale & Church 1993 in spirit): a link
    # between a span and one twice its expected length costs 0.69 x this. Without it the compressed similarity
    # range of e5-small lets two short technical paragraphs merge where one rendering dropped one of them.
    length_weight: float = 0.5
    # Re-align each rendering against the groups the others form, once, after the progressive pass.
    refine: bool = True
    # Largest link, in units on both sides together: 4 allows 1-3, 2-2 and 3-1.
    max_bead: int = 4
    # Normalise each unit's distances by its mean distance to its k nearest units on the other side (0: to all).
    neighbours: int = 0
    # Anchors (numbers, names): each shared anchor lowers a link's cost by this much (up to ANCHOR_CAP of them);
    # each number found on one side only raises it by anchor_penalty.
    anchor_bonus: float = 0.0
    anchor_penalty: float = 0.0
    # A unit whose best match on the other side is poor (a photo caption, a stray line) is cheaper to leave out:
    # its deletion penalty scales by (typical best-match cost / its own), down to this floor. 1 turns it off.
    junk_floor: float = 1.0


# Whole documents, sentence by sentence (`consistency align`): tuned on the Text+Berg de-fr development set only
# (strict F1 0.907 there, 0.906 on the held-out test files; README "How good is it"). Cheap deletions let captions
# and stray lines stand alone.
DOCUMENT_PARAMS = AlignParams(deletion_quantile=0.01, merge_penalty=0.15, max_bead=8, neighbours=8,
                              anchor_bonus=0.1, anchor_penalty=0.2)
# Sentences inside aligned paragraphs (`check`): nearly all of them correspond, and a sentence that lost a clause
# must stay linked to its counterparts to be reported as shorter, so deletions keep Vecalign's price.
SENTENCE_PARAMS = AlignParams(max_bead=5, neighbours=8, anchor_bonus=0.1, anchor_penalty=0.2)
# Paragraphs: few, long units that translators rarely split or merge.
PARAGRAPH_PARAMS = AlignParams(merge_penalty=0.3)


@dataclass
class Track:
    """One rendering's units to align: vectors (L2-normalised) and character lengths."""

    key: str
    vecs: np.ndarray
    lengths: np.ndarray
    headings: np.ndarray | None = None  # bool per unit
    # Normalisers and deletion penalties measured on the whole document, keyed by the other rendering; small
    # sets of units (one paragraph's sentences) are too few to measure them on.
    norms: dict[str, np.ndarray] = field(default_factory=dict)
    deletions: dict[str, float] = field(default_factory=dict)
    backtranslations: list[str] | None = None  # per unit, when every unit has one
    total: float = 0.0  # characters in the whole rendering (0: the units here are the whole rendering)
    # Per unit, hashed indicators of its anchors: names and numbers (first half), numbers alone (second half).
    anchors: np.ndarray | None = None
    # Memo of _mean_cosine against other tracks, by (key, length).
    mean_cosine: dict[tuple[str, int], float] = field(default_factory=dict, repr=False, compare=False)

    @property
    def size(self) -> float:
        return self.total or float(self.lengths.sum())

    def __len__(self) -> int:
        return self.vecs.shape[0]


@dataclass
class Groups:
    """Aligned so far: for each group, the unit indices each rendering contributes (possibly none)."""

    members: list[dict[str, list[int]]] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)


def check_size(name: str, n: int) -> None:
    """Refuse a rendering too large to align (see MAX_SENTENCES) with one line naming it."""
    if n > MAX_SENTENCES:
        raise InputError(f"{name} is too large to align ({n:,} sentences); split it")


def _blocks(a: np.ndarray, b: np.ndarray, window: int):
    """Blocks of rows of a, each with the columns of b it is compared with: all of b, or `window` units of b around
    the block's proportional position. Yields (r0, r1, c0, 1 - cosine of rows r0..r1-1 with columns c0..): at most
    ~BLOCK_CELLS entries each."""
    if window >= len(b):
        rows = max(1, BLOCK_CELLS // len(b))
        for r0 in range(0, len(a), rows):
            yield r0, min(len(a), r0 + rows), 0, 1.0 - a[r0:r0 + rows] @ b.T
        return
    ratio = len(b) / len(a)
    half = window // 2
    rows = max(1, min(BLOCK_CELLS // window, int(window / max(ratio, 1e-9))))
    for r0 in range(0, len(a), rows):
        r1 = min(len(a), r0 + rows)
        c0 = max(0, min(int(r0 * ratio) - half, len(b) - window))
        c1 = min(len(b), max(int(r1 * ratio) + half, c0 + window))
        yield r0, r1, c0, 1.0 - a[r0:r1] @ b[c0:c1].T


def _window(a: np.ndarray, b: np.ndarray) -> int:
    return len(b) if len(a) * len(b) <= EXACT_CELLS else NEIGHBOUR_WINDOW


def _mean_distance(a: np.ndarray, b: np.ndarray, k: int = 0) -> np.ndarray:
    """For each unit of a, its mean cosine distance to the units of b (Vecalign's per-sentence normaliser), or to
    its k nearest units of b (CSLS-style, as in bitext mining: a hub near everything is not a good match for all).
    Past DENSE_CELLS pairs: the mean from b's mean vector, the k nearest in blocks (see EXACT_CELLS)."""
    if len(a) == 0 or len(b) == 0:
        return np.ones(len(a), dtype=np.float32)
    if len(a) * len(b) <= DENSE_CELLS:
        d = 1.0 - a @ b.T
        if k and k < d.shape[1]:
            d = np.partition(d, k - 1, axis=1)[:, :k]
        return np.maximum(d.mean(axis=1), 1e-3)
    if not k or k >= len(b):
        return np.maximum(1.0 - a @ b.mean(axis=0, dtype=np.float64).astype(a.dtype), 1e-3)
    out = np.empty(len(a), dtype=np.float32)
    for r0, r1, _, d in _blocks(a, b, _window(a, b)):
        if k < d.shape[1]:
            d = np.partition(d, k - 1, axis=1)[:, :k]
        out[r0:r1] = d.mean(axis=1)
    return np.maximum(out, 1e-3)


def _sample(n: int, m: int, seed: int) -> np.ndarray:
    """m of range(n), sorted, the same every run."""
    return np.arange(n) if m >= n else np.sort(np.random.default_rng(seed).choice(n, m, replace=False))


def _deletion_penalty(a: np.ndarray, b: np.ndarray, na: np.ndarray, nb: np.ndarray, quantile: float) -> float:
    if len(a) * len(b) < 4:
        return FALLBACK_DELETION_PENALTY
    if len(a) * len(b) > DENSE_CELLS:
        # A fixed random sample of about DENSE_CELLS pairs: the quantile of 4M values is exact to ~1e-3.
        side = math.isqrt(DENSE_CELLS)
        ma = min(len(a), max(side, DENSE_CELLS // len(b)))
        mb = min(len(b), DENSE_CELLS // ma)
        ia, ib = _sample(len(a), ma, 1), _sample(len(b), mb, 2)
        a, na, b, nb = a[ia], na[ia], b[ib], nb[ib]
    costs = (1.0 - a @ b.T) / ((na[:, None] + nb[None, :]) / 2.0)
    # Identical renderings (a source copied into every slot) put exact matches, cost 0, into the low quantile:
    # the floor keeps a deletion dearer than a perfect match.
    return max(float(np.quantile(costs, quantile)), MIN_DELETION_PENALTY)


def _span_sums(values: np.ndarray, size: int) -> np.ndarray:
    """Row i: sum of rows i-size..i-1 of values (for i >= size); rows before are zero. Scalars per unit sum in
    float64, vectors per unit in float32."""
    dtype = np.float32 if values.ndim > 1 else np.float64
    out = np.zeros((len(values) + 1, *values.shape[1:]), dtype=dtype)
    if size <= len(values):
        c = np.cumsum(values, axis=0)
        c = np.concatenate([np.zeros((1, *values.shape[1:]), dtype=c.dtype), c]).astype(dtype)
        out[size:] = c[size:] - c[:-size]
    return out


def _mixed(flags: np.ndarray, size: int) -> np.ndarray:
    """Row i: whether units i-size..i-1 mix headings and body text."""
    out = np.zeros(len(flags) + 1, dtype=bool)
    if size <= len(flags):
        c = np.concatenate([[0], np.cumsum(flags.astype(int))])
        k = c[size:] - c[:-size]
        out[size:] = (k > 0) & (k < size)
    return out


@dataclass
class _Member:
    """One already-aligned rendering, seen from the groups: what it holds in each group."""

    track: Track
    norm_new: np.ndarray  # the new rendering's units' normalisers against this one
    norm_old: np.ndarray
    delta: float  # deletion penalty between the two
    ratio: float  # characters of the new rendering per character of this one
    count: np.ndarray  # units per group
    vecsum: np.ndarray  # summed unit vectors per group
    normsum: np.ndarray
    lensum: np.ndarray
    keep_new: np.ndarray  # per unit of the new rendering: its deletion penalty against this one
    keep_old: np.ndarray  # per unit of this rendering: the same against the new one
    anchorsum: np.ndarray | None = None  # summed anchor indicators per group


def _member(new: Track, track: Track, groups: Groups, params: AlignParams) -> _Member:
    key, g = track.key, len(groups.members)
    norm_new = new.norms[key] if key in new.norms else _mean_distance(new.vecs, track.vecs, params.neighbours)
    norm_old = track.norms[new.key] if new.key in track.norms else _mean_distance(track.vecs, new.vecs,
                                                                                  params.neighbours)
    delta = (new.deletions[key] if key in new.deletions else
             _deletion_penalty(new.vecs, track.vecs, norm_new, norm_old, params.deletion_quantile))
    keep_new, keep_old = _unit_deletions(new.vecs, track.vecs, norm_new, norm_old, delta, params.junk_floor)
    m = _Member(track, norm_new, norm_old, delta, new.size / max(track.size, 1.0), np.zeros(g),
                np.zeros((g, new.vecs.shape[1]), dtype=np.float32), np.zeros(g), np.zeros(g), keep_new, np.zeros(g))
    if new.anchors is not None and track.anchors is not None:
        m.anchorsum = np.zeros((g, track.anchors.shape[1]), dtype=np.float32)
    for j, members in enumerate(groups.members):
        idx = members.get(key, [])
        if idx:
            m.count[j] = len(idx)
            m.vecsum[j] = track.vecs[idx].sum(axis=0)
            m.normsum[j] = norm_old[idx].sum()
            m.lensum[j] = track.lengths[idx].sum()
            m.keep_old[j] = keep_old[idx].sum()
            if m.anchorsum is not None:
                m.anchorsum[j] = track.anchors[idx].sum(axis=0)
    return m


# Shared anchors beyond this many add nothing: a list of ten years is no surer a link than one with three.
ANCHOR_CAP = 3.0


def _anchor_cost(new_spans: np.ndarray, old_spans: np.ndarray, params: AlignParams) -> np.ndarray:
    """Bonus for anchors both spans share, penalty for numbers only one of them has (given the spans' summed
    anchor indicators)."""
    half = new_spans.shape[1] // 2
    # Present in the span at all: a name twice in a run is still one anchor.
    x, y = np.minimum(new_spans, 1.0), np.minimum(old_spans, 1.0)
    shared = np.minimum(x[:, :half] @ y[:, :half].T, ANCHOR_CAP)
    nx, ny = x[:, half:], y[:, half:]
    common = nx @ ny.T
    lone = np.minimum(nx.sum(axis=1)[:, None] + ny.sum(axis=1)[None, :] - 2 * common, ANCHOR_CAP)
    return params.anchor_penalty * lone - params.anchor_bonus * shared


def _unit_deletions(a: np.ndarray, b: np.ndarray, na: np.ndarray, nb: np.ndarray, delta: float,
                    floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit deletion penalties for a's and b's units: delta, lowered for units nothing matches well."""
    if floor >= 1.0 or len(a) == 0 or len(b) == 0:
        return np.full(len(a), delta), np.full(len(b), delta)
    def best(x: np.ndarray, y: np.ndarray, nx: np.ndarray, ny: np.ndarray) -> np.ndarray:
        """Each unit of x: its lowest normalised cost against y (within the window on very long texts)."""
        if len(x) * len(y) <= DENSE_CELLS:
            return ((1.0 - x @ y.T) / ((nx[:, None] + ny[None, :]) / 2.0)).min(axis=1)
        out = np.empty(len(x))
        for r0, r1, c0, d in _blocks(x, y, _window(x, y)):
            out[r0:r1] = (d / ((nx[r0:r1, None] + ny[None, c0:c0 + d.shape[1]]) / 2.0)).min(axis=1)
        return out

    best_a, best_b = best(a, b, na, nb), best(b, a, nb, na)
    out = []
    for best in (best_a, best_b):
        out.append(delta * np.clip(np.median(best) / np.maximum(best, 1e-6), floor, 1.0))
    return out[0], out[1]


def align_to_groups(new: Track, groups: Groups, tracks: dict[str, Track],
                    params: AlignParams = SENTENCE_PARAMS) -> Groups:
    """Add one rendering to the groups with a banded DP over (units of `new`, groups)."""
    n, g = len(new), len(groups.members)
    if g == 0:
        return Groups([{new.key: [i]} for i in range(n)], [0.0] * n)
    if n == 0:
        return Groups([{**m, new.key: []} for m in groups.members], list(groups.costs))

    members = [_member(new, track, groups, params) for track in tracks.values()]
    # Sum of pairs, as in multiple sequence alignment: every cost is a mean over the k renderings aligned so far,
    # and a rendering with nothing on one side of a link pays its deletion penalty. So leaving out a group that
    # only one rendering has is cheap, and linking into it is dear.
    k = len(members)
    insert = sum(m.keep_new for m in members) / k
    skip = sum(m.keep_old for m in members) / k

    new_heads = new.headings if new.headings is not None else np.zeros(n, dtype=bool)
    group_heads = np.array([_group_is_heading(m, tracks) for m in groups.members], dtype=bool)
    shapes = beads(params.max_bead)
    links = [(a, b) for a, b in shapes if a and b and a <= n and b <= g]
    sums = _Sums(new, members, links, new_heads, group_heads)

    def costs(r0: int, r1: int, c0: int, c1: int) -> dict[tuple[int, int], np.ndarray]:
        return _link_costs(new, groups, tracks, members, params, sums, links, r0, r1, c0, c1)

    path, costs = _dp(n, g, shapes, costs, insert, skip)
    members: list[dict[str, list[int]]] = []
    out_costs: list[float] = []
    for (i0, i1, j0, j1), cost in zip(path, costs):
        if j1 == j0:  # a unit of the new rendering with no counterpart: a group of its own
            members.append({new.key: list(range(i0, i1))})
            out_costs.append(cost)
            continue
        merged: dict[str, list[int]] = {}
        for j in range(j0, j1):
            for key, idx in groups.members[j].items():
                merged.setdefault(key, []).extend(idx)
        merged[new.key] = list(range(i0, i1))
        members.append(merged)
        old = [groups.costs[j] for j in range(j0, j1)]
        out_costs.append(cost if i1 > i0 else (sum(old) / len(old)))
    return Groups(members, out_costs)


class _Prefix:
    """Running sums of per-unit values, so that `window(size, r0, r1)` gives rows r0..r1-1 of
    `_span_sums(values, size)`, value for value, without building all of it."""

    def __init__(self, values: np.ndarray):
        self.dtype = np.float32 if values.ndim > 1 else np.float64
        self.n, self.tail = len(values), values.shape[1:]
        c = np.cumsum(values, axis=0)
        self.c = np.concatenate([np.zeros((1, *self.tail), dtype=c.dtype), c]).astype(self.dtype)

    def window(self, size: int, r0: int, r1: int) -> np.ndarray:
        out = np.zeros((r1 - r0, *self.tail), dtype=self.dtype)
        if size <= self.n:
            s = max(r0, size)
            if s < r1:
                out[s - r0:] = self.c[s:r1] - self.c[s - size:r1 - size]
        return out


def _unit(spans: np.ndarray) -> np.ndarray:
    return spans / np.maximum(np.linalg.norm(spans, axis=1, keepdims=True), 1e-8)


@dataclass
class _Sums:
    """Running sums for the link costs of one DP: the new rendering's units, and each member's groups."""

    vecs: _Prefix
    lengths: _Prefix
    anchors: _Prefix | None
    new_mixed: dict[int, np.ndarray]
    group_mixed: dict[int, np.ndarray]
    members: list[dict[str, _Prefix | None]]

    def __init__(self, new: Track, members: list[_Member], links, new_heads: np.ndarray, group_heads: np.ndarray):
        self.vecs, self.lengths = _Prefix(new.vecs), _Prefix(new.lengths)
        self.anchors = _Prefix(new.anchors) if new.anchors is not None else None
        self.new_mixed = {a: _mixed(new_heads, a) for a in {a for a, _ in links}}
        self.group_mixed = {b: _mixed(group_heads, b) for b in {b for _, b in links}}
        self.members = [{"norm_new": _Prefix(m.norm_new), "count": _Prefix(m.count), "vecsum": _Prefix(m.vecsum),
                         "normsum": _Prefix(m.normsum), "lensum": _Prefix(m.lensum),
                         "anchorsum": _Prefix(m.anchorsum) if m.anchorsum is not None else None}
                        for m in members]


def _link_costs(new: Track, groups: Groups, tracks: dict[str, Track], members: list[_Member], params: AlignParams,
                sums: _Sums, links: list[tuple[int, int]], r0: int, r1: int, c0: int, c1: int
                ) -> dict[tuple[int, int], np.ndarray]:
    """The cost of every a-b link ending at rows r0..r1-1 (units of `new` + 1) and columns c0..c1-1 (groups + 1),
    as rows x columns blocks: the same numbers as whole matrices, built only where the DP's band needs them."""
    k = len(members)
    out: dict[tuple[int, int], np.ndarray] = {}
    for a, b in links:
        new_spans = _unit(sums.vecs.window(a, r0, r1))
        new_len = sums.lengths.window(a, r0, r1)
        total = np.zeros((r1 - r0, c1 - c0))
        for m, ms in zip(members, sums.members):
            new_norm = ms["norm_new"].window(a, r0, r1) / a
            new_norm[: max(0, min(a, r1) - r0)] = 1.0
            cnt = ms["count"].window(b, c0, c1)
            old_norm = ms["normsum"].window(b, c0, c1) / np.maximum(cnt, 1)
            old_norm[: max(0, min(b, c1) - c0)] = 1.0
            # Runs of groups are their summed unit vectors: with e5-small that represents a run better than an
            # embedding of the concatenated text (0.82 against 0.85 strict F1 on the Text+Berg dev set).
            spans = _unit(ms["vecsum"].window(b, c0, c1))
            old_len = ms["lensum"].window(b, c0, c1)
            dist = (1.0 - new_spans @ spans.T) / ((new_norm[:, None] + old_norm[None, :]) / 2.0)
            lengths = np.abs(np.log((new_len[:, None] + LENGTH_SMOOTHING) /
                                    (m.ratio * old_len[None, :] + LENGTH_SMOOTHING)))
            present = cnt > 0
            link = dist * a * cnt[None, :] + params.length_weight * lengths
            if ms["anchorsum"] is not None and sums.anchors is not None and (params.anchor_bonus or
                                                                             params.anchor_penalty):
                link = link + _anchor_cost(sums.anchors.window(a, r0, r1), ms["anchorsum"].window(b, c0, c1),
                                           params)
            # Vecalign scales by the number of units on each side, so that merging is never free.
            total += np.where(present[None, :], link, m.delta * a)
        cost = total / k
        if a + b > 2:
            cost = cost + params.merge_penalty
            mixed = sums.new_mixed[a][r0:r1, None] | sums.group_mixed[b][None, c0:c1]
            cost = cost + np.where(mixed, params.heading_penalty, 0.0)
        if (a, b) == (1, 1):
            cost = _with_backtranslations(cost, new, groups, tracks, r0, c0)
        out[(a, b)] = cost
    return out


# Bleualign-style second signal (Sennrich & Volk 2010): chrF between back-translations, blended into the cost of
# 1-1 links. chrF distance is divided by its level for unrelated sentences (chrF ~18 between unrelated English
# sentences) so that, like Vecalign's normalised cosine cost, unrelated pairs cost ~1 and faithful pairs ~0.4-0.6.
BT_WEIGHT = 0.5
UNRELATED_CHRF = 18.0


def _with_backtranslations(cost: np.ndarray, new: Track, groups: Groups, tracks: dict[str, Track],
                           r0: int = 0, c0: int = 0) -> np.ndarray:
    """`cost` (rows r0.. of units of `new` + 1, columns c0.. of groups + 1) with back-translation similarity blended
    in; unchanged without back-translations."""
    if new.backtranslations is None:
        return cost
    from consistency.checks.bt import chrf  # noqa: PLC0415

    total = np.zeros_like(cost)
    weight = np.zeros_like(cost)
    rows = range(max(r0, 1) - 1, r0 + cost.shape[0] - 1)  # units i: row i + 1
    for key, track in tracks.items():
        if track.backtranslations is None:
            continue
        for j in range(max(c0, 1) - 1, c0 + cost.shape[1] - 1):
            idx = groups.members[j].get(key, [])
            if len(idx) != 1:
                continue
            theirs = track.backtranslations[idx[0]]
            for i in rows:
                mine = new.backtranslations[i]
                total[i + 1 - r0, j + 1 - c0] += (1.0 - chrf(mine, theirs) / 100.0) / (1.0 - UNRELATED_CHRF / 100.0)
                weight[i + 1 - r0, j + 1 - c0] += 1
    bt = np.divide(total, weight, out=np.zeros_like(cost), where=weight > 0)
    return np.where(weight > 0, (1 - BT_WEIGHT) * cost + BT_WEIGHT * bt, cost)


def _group_is_heading(members: dict[str, list[int]], tracks: dict[str, Track]) -> bool:
    flags = [bool(tracks[k].headings[i]) for k, idx in members.items() if tracks[k].headings is not None for i in idx]
    return bool(flags) and sum(flags) * 2 > len(flags)


def _band(n: int, g: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row i of the DP (0..n): the first and last column searched."""
    band = max(MIN_BAND, min(abs(n - g) + MIN_BAND // 2, max(MAX_BAND, math.ceil(g / max(n, 1)) + MIN_BAND)))
    lo, hi = np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    for i in range(n + 1):
        centre = int(i * g / n) if n else 0
        lo[i], hi[i] = max(0, centre - band), min(g, centre + band + 1)
    return lo, hi


def _dp(n: int, g: int, shapes: Sequence[tuple[int, int]],
        link_costs: Callable[[int, int, int, int], dict[tuple[int, int], np.ndarray]],
        insert: np.ndarray, skip: np.ndarray):
    """Banded DP: only cells within the band are stored, and the link costs are asked for a block of rows at a
    time (all at once when the whole matrix is small), so memory grows with n x band, not n x g."""
    lo, hi = _band(n, g)
    width = int((hi - lo).max()) + 1
    inf = float("inf")
    best = np.full((n + 1, width), inf)
    back = np.zeros((n + 1, width, 2), dtype=np.int8)
    lo_l, hi_l = lo.tolist(), hi.tolist()
    ins, skp = insert.tolist(), skip.tolist()
    rows: dict[int, list[float]] = {}
    block: dict[tuple[int, int], np.ndarray] = {}
    r0 = r1 = c0 = 0
    dense = (n + 1) * (g + 1) <= DENSE_CELLS
    for i in range(n + 1):
        if i >= r1:  # the next block of rows
            r0 = i
            if dense:
                r1, c0, c1 = n + 1, 0, g + 1
            else:
                r1 = i + 1
                while r1 <= n and (r1 + 1 - r0) * (hi_l[r1] + 1 - lo_l[r0]) <= BLOCK_CELLS:
                    r1 += 1
                c0, c1 = lo_l[r0], hi_l[r1 - 1] + 1
            block = link_costs(r0, r1, c0, c1)
        li, hi_i = lo_l[i], hi_l[i]
        crow = {ab: m[i - r0, li - c0:hi_i + 1 - c0].tolist() for ab, m in block.items()}
        row = [inf] * (hi_i - li + 1)
        choices = [(0, 0)] * len(row)
        for j in range(li, hi_i + 1):
            if i == 0 and j == 0:
                row[0] = 0.0
                continue
            top, choice = inf, (0, 0)
            for a, b in shapes:
                if a > i or b > j:
                    continue
                pj = j - b
                if a == 0:
                    prev = row[pj - li] if pj >= li else inf
                else:
                    pi = i - a
                    plo = lo_l[pi]
                    prev = rows[pi][pj - plo] if plo <= pj <= hi_l[pi] else inf
                if prev == inf:
                    continue
                c = ins[i - 1] if b == 0 else skp[j - 1] if a == 0 else crow[(a, b)][j - li]
                if prev + c < top:
                    top, choice = prev + c, (a, b)
            row[j - li] = top
            choices[j - li] = choice
        rows[i] = row
        rows.pop(i - len(shapes) - 8, None)  # older rows are only needed for the traceback, kept in `best`
        best[i, : len(row)] = row
        back[i, : len(row)] = choices

    def at(i: int, j: int) -> float:
        return float(best[i, j - lo_l[i]]) if lo_l[i] <= j <= hi_l[i] else inf

    path, costs = [], []
    i, j = n, g
    while i > 0 or j > 0:
        a, b = (int(x) for x in back[i, j - lo_l[i]]) if lo_l[i] <= j <= hi_l[i] else (0, 0)
        if a == 0 and b == 0:  # outside the band: fall back to deletions so the path still ends
            a, b = (1, 0) if i > 0 else (0, 1)
        path.append((i - a, i, j - b, j))
        costs.append(at(i, j) - at(i - a, j - b) if at(i - a, j - b) < inf else float(insert.mean()))
        i, j = i - a, j - b
    path.reverse()
    costs.reverse()
    return path, costs


def align_tracks(tracks: Sequence[Track], params: AlignParams = SENTENCE_PARAMS) -> Groups:
    """Progressive N-way alignment, then one round of refinement.

    The most complete renderings go first (most units, then key: independent of the callers' order), so that a
    rendering missing something meets the consensus of the others rather than a single partner. Refinement then
    takes each rendering out in turn and aligns it again to the groups the others form, undoing early mistakes.
    """
    order = sorted(tracks, key=lambda t: (-len(t), t.key))
    groups = Groups()
    done: dict[str, Track] = {}
    for track in order:
        groups = align_to_groups(track, groups, done, params)
        done[track.key] = track
    if params.refine and len(order) > 2:
        for track in sorted(order, key=lambda t: t.key):
            others = {k: t for k, t in done.items() if k != track.key}
            groups = align_to_groups(track, _without(groups, track.key), others, params)
    # Every group names every rendering, so "absent" is explicit.
    for m in groups.members:
        for t in tracks:
            m.setdefault(t.key, [])
    return groups


def _without(groups: Groups, key: str) -> Groups:
    """The groups with one rendering taken out; groups that only it filled disappear, and groups where every other
    rendering has the same number of units (merged because of it) split back into one group per unit."""
    members, costs = [], []
    for m, cost in zip(groups.members, groups.costs):
        rest = {k: v for k, v in m.items() if k != key and v}
        if not rest:
            continue
        sizes = {len(v) for v in rest.values()}
        if len(sizes) == 1 and (size := sizes.pop()) > 1:
            for i in range(size):
                members.append({k: [v[i]] for k, v in rest.items()})
                costs.append(cost)
        else:
            members.append(rest)
            costs.append(cost)
    return Groups(members, costs)


def similarity(tracks: dict[str, Track], members: dict[str, list[int]]) -> float | None:
    """Mean pairwise cosine of the members' spans, rescaled so that the average unrelated pair of the document
    scores 0 and identical text 1."""
    keys = [k for k in sorted(members) if members[k]]
    if len(keys) < 2:
        return None
    vals = []
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            ta, tb = tracks[keys[x]], tracks[keys[y]]
            ia, ib = members[keys[x]], members[keys[y]]
            va, vb = ta.vecs[ia].sum(axis=0), tb.vecs[ib].sum(axis=0)
            cos = float(va @ vb / max(np.linalg.norm(va) * np.linalg.norm(vb), 1e-8))
            if tb.key in ta.norms and ta.key in tb.norms:
                base = 1.0 - (float(ta.norms[tb.key][ia].mean()) + float(tb.norms[ta.key][ib].mean())) / 2
            else:
                base = _mean_cosine(ta, tb)
            vals.append((cos - base) / max(1.0 - base, 1e-6))
    return max(0.0, min(1.0, float(np.mean(vals))))


def _mean_cosine(ta: Track, tb: Track) -> float:
    """Mean cosine over every pair of units of the two tracks, once per pair of tracks: exactly, as the mean of the
    whole matrix, when it is small (DENSE_CELLS), else as the dot product of the mean vectors (the same number up
    to rounding, in linear time and memory)."""
    key = (tb.key, len(tb))
    if key not in ta.mean_cosine:
        if len(ta) * len(tb) <= DENSE_CELLS:
            ta.mean_cosine[key] = float(np.mean(ta.vecs @ tb.vecs.T))
        else:
            ta.mean_cosine[key] = float(ta.vecs.mean(axis=0, dtype=np.float64) @ tb.vecs.mean(axis=0, dtype=np.float64))
    return ta.mean_cosine[key]


# --- documents -----------------------------------------------------------------------------------------------------

_TERMINAL = tuple(".!?:;…\"'”»“)")
# A paragraph this short with no closing punctuation reads as a title or heading.
HEADING_MAX_CHARS = 200


def looks_like_heading(p: Paragraph) -> bool:
    return p.heading or (len(p.text) <= HEADING_MAX_CHARS and not p.text.rstrip().endswith(_TERMINAL))


def _normalise(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-8)


def document_tracks(renderings: Sequence[Rendering], vecs: dict[str, np.ndarray],
                    params: AlignParams = SENTENCE_PARAMS) -> dict[str, Track]:
    """Sentence tracks for whole renderings, with document-level normalisers between every pair."""
    for r in renderings:
        check_size(r.path, len(vecs[r.lang]))
    tracks = {r.lang: Track(r.lang, vecs[r.lang], np.array([len(s.text) for s in r.sentences], dtype=float),
                            backtranslations=_backtranslations(r), anchors=anchor_matrix([s.text for s in r.sentences]))
              for r in renderings}
    return _measured(tracks, params)


def _measured(tracks: dict[str, Track], params: AlignParams) -> dict[str, Track]:
    """Fill each track's normalisers and deletion penalties against every other track."""
    for a in tracks.values():
        for b in tracks.values():
            if a.key != b.key:
                a.norms[b.key] = _mean_distance(a.vecs, b.vecs, params.neighbours)
    for a in tracks.values():
        for b in tracks.values():
            if a.key != b.key:
                a.deletions[b.key] = _deletion_penalty(a.vecs, b.vecs, a.norms[b.key], b.norms[a.key],
                                                       params.deletion_quantile)
    return tracks


def _backtranslations(r: Rendering) -> list[str] | None:
    bts = [s.backtranslation for s in r.sentences]
    return None if any(b is None for b in bts) else bts  # type: ignore[return-value]


def _sub_track(track: Track, idx: list[int]) -> Track:
    bts = [track.backtranslations[i] for i in idx] if track.backtranslations is not None else None
    return Track(track.key, track.vecs[idx], track.lengths[idx], None,
                 {k: v[idx] for k, v in track.norms.items()}, dict(track.deletions), bts, total=track.size,
                 anchors=track.anchors[idx] if track.anchors is not None else None)


def align_document(renderings: Sequence[Rendering], vecs: dict[str, np.ndarray],
                   given: Sequence[Mapping[str, Sequence[int]]] | None = None
                   ) -> tuple[tuple[ParagraphGroup, ...], tuple[SentenceGroup, ...]]:
    """Paragraph groups, then sentence groups inside each; `vecs[lang]` holds one row per sentence of that rendering.

    given: the paragraph groups when the input states them (catalogue keys, subtitle times, bitext lines), as
    paragraph ordinals (1-based) per language; only the sentences inside each group are aligned then.
    """
    order = sorted(renderings, key=lambda r: (r.lang, r.path))
    sentence_tracks = document_tracks(order, vecs)
    para_tracks = []
    # Vector width from any rendering that has sentences: one without any (an empty side) has no rows to show it.
    dim = next((v.shape[1] for v in vecs.values() if v.ndim == 2 and len(v)), 1)
    for r in order:
        rows, k = [], 0
        for p in r.paragraphs:
            rows.append(vecs[r.lang][k : k + len(p.sentences)].sum(axis=0))
            k += len(p.sentences)
        para_tracks.append(Track(
            r.lang, _normalise(np.array(rows, dtype=np.float32).reshape(len(r.paragraphs), dim)),
            np.array([len(p.text) for p in r.paragraphs], dtype=float),
            np.array([looks_like_heading(p) for p in r.paragraphs], dtype=bool)))
    by_key = {t.key: t for t in para_tracks}
    if given is not None:
        return _sentence_groups(order, sentence_tracks, by_key, [
            {r.lang: [i - 1 for i in g.get(r.lang, ())] for r in order} for g in given])
    return _sentence_groups(order, sentence_tracks, by_key, align_tracks(para_tracks, PARAGRAPH_PARAMS).members)


def _sentence_groups(order: Sequence[Rendering], sentence_tracks: dict[str, Track], by_key: dict[str, Track],
                     paragraph_members: Sequence[Mapping[str, list[int]]]
                     ) -> tuple[tuple[ParagraphGroup, ...], tuple[SentenceGroup, ...]]:
    """Sentence groups inside each paragraph group (paragraph indices 0-based); by_key: the paragraph tracks, for
    the groups' similarity scores."""
    # Sentence index ranges of each paragraph, per rendering.
    offsets = {}
    for r in order:
        k, spans = 0, []
        for p in r.paragraphs:
            spans.append(list(range(k, k + len(p.sentences))))
            k += len(p.sentences)
        offsets[r.lang] = spans
    refs = {r.lang: [s.ref for s in r.sentences] for r in order}

    paragraph_groups, sentence_groups = [], []
    for gi, members in enumerate(paragraph_members, 1):
        paragraph_groups.append(ParagraphGroup(
            gi, {k: tuple(i + 1 for i in members[k]) for k in sorted(members)},
            _round(similarity(by_key, members))))
        subs = []
        for r in order:
            idx = [s for p in members[r.lang] for s in offsets[r.lang][p]]
            subs.append((r.lang, idx))
        tracks = [_sub_track(sentence_tracks[lang], idx) for lang, idx in subs]
        sg = align_tracks(tracks, SENTENCE_PARAMS)
        local = {t.key: t for t in tracks}
        lookup = dict(subs)
        for sm in sg.members:
            sentence_groups.append(SentenceGroup(
                len(sentence_groups) + 1, gi,
                {k: tuple(refs[k][lookup[k][i]] for i in sm[k]) for k in sorted(sm)},
                _round(similarity(local, sm))))
    return tuple(paragraph_groups), tuple(sentence_groups)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def align_pair(a: Track, b: Track, params: AlignParams = DOCUMENT_PARAMS) -> list[tuple[list[int], list[int]]]:
    """Two renderings' units as beads in order, deletions included: Vecalign's path, 0-based."""
    groups = align_tracks([a, b], params)
    return [(m[a.key], m[b.key]) for m in groups.members]


def sentence_tracks(texts: dict[str, list[str]], vecs: dict[str, np.ndarray],
                    params: AlignParams = DOCUMENT_PARAMS, names: dict[str, str] | None = None) -> dict[str, Track]:
    """Tracks for pre-split sentences, with the normalisers measured over the whole of each file (named in errors
    by `names`, else by key)."""
    for k in texts:
        check_size((names or {}).get(k, k), len(texts[k]))
    return _measured({k: Track(k, vecs[k], np.array([len(t) for t in texts[k]], dtype=float),
                               anchors=anchor_matrix(texts[k])) for k in texts}, params)



ANCHOR_DIMS = 512
_ANCHOR_TOKEN = regex.compile(r"\p{Nd}+(?:[.,]\p{Nd}+)*|\p{Lu}[\p{L}\p{M}]{2,}")


def anchor_matrix(texts: Sequence[str]) -> np.ndarray:
    """Hashed anchors of each text: numbers (digits only) and capitalised words (folded) in the first half, the
    numbers again in the second half. Capitalised words include German nouns; only the shared ones count."""
    from consistency.checks.text import fold  # noqa: PLC0415

    half = ANCHOR_DIMS // 2
    out = np.zeros((len(texts), ANCHOR_DIMS), dtype=np.float32)
    for i, text in enumerate(texts):
        for m in _ANCHOR_TOKEN.finditer(text):
            tok = m.group()
            if tok[0].isdigit():
                digits = "".join(ch for ch in tok if ch.isdigit())
                h = zlib.crc32(digits.encode()) % half
                out[i, h] = 1.0
                out[i, half + h] = 1.0
            elif m.start() > 0:  # a capital opening the sentence says nothing
                out[i, zlib.crc32(fold(tok).encode()) % half] = 1.0
    return out
