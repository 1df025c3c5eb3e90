"""Inverted index for candidate retrieval.

Keys (all interned to integer ids): exact name tokens, given-name variant groups, metaphone codes,
4-letter prefixes (typo tolerance at the end of a token), consonant keys that also match names
written in Arabic or Hebrew script, and OCR-folded document numbers. Consonant skeletons
(xscript/skeleton.py) are kept apart: every record has them, but only a query with a name in
Hebrew or Arabic script looks them up (a Latin query costs what it did), and bulk blocking
does not use them. Postings are compact
``array('i')`` lists of record slots; removal leaves a tombstone so that add, update and remove are
O(keys of the record). A query gathers the postings of its rarest keys (within a budget, keys of
very frequent tokens are skipped when rarer ones exist), ranks slots by summed key rarity with
numpy, and returns the best few slots for full scoring.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

import numpy as np

from ncb.matching import blocking
from ncb.matching.blocking import Mapper
from ncb.matching.compare import abjad_key
from ncb.matching.normalize import token_info
from ncb.matching.record import Prepared, ocr_fold
from ncb.matching.xscript.cjk_keys import KEYED_SCRIPTS, cjk_keys, latin_keys
from ncb.matching.xscript.skeleton import abjad_skeletons, latin_skeletons

_ABJAD = ("hebrew", "arabic")
_SKELETON_QUERIES = (*_ABJAD, *KEYED_SCRIPTS)  # queries in these scripts look skeleton keys up


class CandidateIndex:
    """Keys -> record slots; slots -> prepared records. Incremental and bulk."""

    def __init__(self, *, block_on_dates: bool = False, posting_budget: int = 60_000) -> None:
        self.block_on_dates = block_on_dates
        self.posting_budget = posting_budget
        self._key_ids: dict[str, int] = {}
        self._postings: list[array] = []
        self._scale: list[float] = []  # rank weight factor per key (deletion keys share one)
        self._token_keys: dict[str, tuple[int, ...]] = {}
        self._slots: list[Prepared | None] = []
        self._slot_keys: list[tuple[int, ...]] = []
        self._slot_skel: list[tuple[int, ...]] = []
        self._id_slot: dict[str, int] = {}
        self._alive = 0

    # -- keys -----------------------------------------------------------------------------------
    def _kid(self, key: str, create: bool) -> int:
        kid = self._key_ids.get(key)
        if kid is None and create:
            kid = len(self._postings)
            self._key_ids[key] = kid
            self._postings.append(array("i"))
            # A token has len+1 deletion keys: together they weigh about one ordinary key.
            self._scale.append(1.0 / len(key) if key[0] == "k" else 1.0)
        return -1 if kid is None else kid

    def _token_key_strings(self, tok: str) -> list[str]:
        info = token_info(tok)
        if info.particle or len(tok) < 2:
            return []
        keys = ["t" + tok]
        keys.extend("g" + str(g) for g in info.groups)
        if len(info.phonetic) >= 2:
            keys.append("p" + info.phonetic)
        if len(tok) >= 5:
            keys.append("x" + tok[:4])
        if len(tok) == 3:
            keys.append("k" + tok)  # meets the deletion keys of four-letter tokens
        if len(tok) >= 4:
            # Symmetric deletion keys: two tokens within one edit (insertion, deletion,
            # substitution, most transpositions) share the token or one of its one-letter
            # deletions, whichever letter the typo hit.
            keys.append("k" + tok)
            keys.extend({"k" + tok[:i] + tok[i + 1 :] for i in range(len(tok))})
        ak = abjad_key(tok)
        if len(ak) >= 2:
            keys.append("a" + ak)
        return keys

    def _token_kids(self, tok: str, create: bool) -> tuple[int, ...]:
        got = self._token_keys.get(tok)
        if got is not None:
            return got
        kids = tuple(k for k in (self._kid(s, create) for s in self._token_key_strings(tok)) if k >= 0)
        if create:
            self._token_keys[tok] = kids
        return kids

    def _record_kids(self, p: Prepared, create: bool) -> set[int]:
        kids: set[int] = set()
        if p.kind == "person":
            for toks in p.names:
                for tok in toks:
                    kids.update(self._token_kids(tok, create))
        if p.ident:
            kids.add(self._kid("d" + ocr_fold(p.ident), create))
        if p.dob and p.dob[2]:
            # A full date of birth is rare enough to rank same-name candidates.
            kids.add(self._kid("b{:04d}{:02d}{:02d}".format(*p.dob), create))
        if self.block_on_dates:
            if p.dob and p.dob[1] and not p.dob[2]:
                kids.add(self._kid("b{:04d}{:02d}{:02d}".format(*p.dob), create))
            if p.dob and p.dob[2]:
                # Year and month: ranks a same-name record whose day was mistyped.
                kids.add(self._kid("m{:04d}{:02d}".format(*p.dob), create))
            if p.postcode:
                kids.add(self._kid("z" + p.postcode, create))
            if p.address and len(p.address) <= 3:
                kids.add(self._kid("c" + " ".join(p.address), create))  # a town alone
            if p.email:
                # The address, and its local part (domains get retyped: "smith.net"/"smit.net").
                kids.add(self._kid("e" + p.email, create))
                local = p.email.partition("@")[0]
                if len(local) >= 3:
                    kids.add(self._kid("l" + local, create))
        kids.discard(-1)
        return kids

    def _skeleton_kids(self, p: Prepared, create: bool) -> set[int]:
        """Skeleton keys of a record (create) or of a query with an abjad-script name."""
        if p.kind != "person":
            return set()
        keys: set[str] = set()
        for script, name in p.foreign:
            if script in _ABJAD:
                keys.update(abjad_skeletons(name, script))
            elif script in KEYED_SCRIPTS:
                keys.update(cjk_keys(name, script))
        if create:
            for toks in p.names:
                for tok in toks:
                    keys.update(latin_skeletons(tok))
                    keys.update(latin_keys(tok))
        kids = {self._kid("s" + k, create) for k in keys}
        kids.discard(-1)
        return kids

    # -- mutation -------------------------------------------------------------------------------
    def add(self, p: Prepared) -> None:
        """Add a record, replacing any record with the same id."""
        if p.id in self._id_slot:
            self.remove(p.id)
        slot = len(self._slots)
        kids = self._record_kids(p, True)
        skel = self._skeleton_kids(p, True) - kids
        postings = self._postings
        for k in kids | skel:
            postings[k].append(slot)
        self._slots.append(p)
        self._slot_keys.append(tuple(kids))
        self._slot_skel.append(tuple(skel))
        self._id_slot[p.id] = slot
        self._alive += 1

    def build(self, records: Iterable[Prepared]) -> None:
        for p in records:
            self.add(p)

    def remove(self, record_id: str) -> bool:
        slot = self._id_slot.pop(record_id, None)
        if slot is None:
            return False
        self._slots[slot] = None  # tombstone; postings are cleaned lazily by compact()
        self._alive -= 1
        return True

    def compact(self) -> None:
        """Drop tombstones from postings (after many removals)."""
        dead = {i for i, p in enumerate(self._slots) if p is None}
        if not dead:
            return
        for kids, skel, p in zip(self._slot_keys, self._slot_skel, self._slots, strict=True):
            if p is None:
                for k in kids + skel:
                    self._postings[k] = array("i", (s for s in self._postings[k] if s not in dead))
        for i in dead:
            self._slot_keys[i] = self._slot_skel[i] = ()

    def __len__(self) -> int:
        return self._alive

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._id_slot

    def get(self, record_id: str) -> Prepared | None:
        slot = self._id_slot.get(record_id)
        return None if slot is None else self._slots[slot]

    def records(self) -> Iterable[Prepared]:
        return (p for p in self._slots if p is not None)

    # -- query ----------------------------------------------------------------------------------
    def candidates(self, q: Prepared, limit: int = 40) -> list[Prepared]:
        """The ``limit`` records sharing the most (and rarest) keys with ``q``."""
        return [p for p, _w in self.ranked(q, limit)]

    def ranked(self, q: Prepared, limit: int = 40) -> list[tuple[Prepared, float]]:
        """``candidates`` with their shared-key weights, best first."""
        kids = self._record_kids(q, False)
        if any(script in _SKELETON_QUERIES for script, _name in q.foreign):
            kids |= self._skeleton_kids(q, False)
        if not kids:
            return []
        n = max(len(self._slots), 1)
        postings, scale = self._postings, self._scale
        ranked = sorted(kids, key=lambda k: len(postings[k]))
        chosen: list[int] = []
        budget = self.posting_budget
        used = 0
        for k in ranked:
            df = len(postings[k])
            if df == 0:
                continue
            if chosen and used + df > budget:
                break
            chosen.append(k)
            used += df
        if not chosen:
            return []
        if used <= 2000:
            acc: dict[int, float] = {}
            for k in chosen:
                w = math.log(1.0 + n / len(postings[k])) * scale[k]
                for s in postings[k]:
                    acc[s] = acc.get(s, 0.0) + w
            best = sorted(acc, key=acc.__getitem__, reverse=True)
            got = [acc[s] for s in best]
        else:
            arrays = [np.frombuffer(postings[k], dtype=np.int32) for k in chosen]
            weights = np.concatenate(
                [
                    np.full(len(a), math.log(1.0 + n / len(a)) * scale[k], dtype=np.float32)
                    for k, a in zip(chosen, arrays, strict=True)
                ]
            )
            allslots = np.concatenate(arrays)
            uniq, inv = np.unique(allslots, return_inverse=True)
            sums = np.bincount(inv, weights=weights)
            take = min(len(uniq), limit * 2)
            top = np.argpartition(-sums, take - 1)[:take] if take < len(uniq) else np.arange(len(uniq))
            top = top[np.argsort(-sums[top], kind="stable")]
            best = uniq[top].tolist()
            got = sums[top].tolist()
        out: list[tuple[Prepared, float]] = []
        slots = self._slots
        for s, w in zip(best, got, strict=True):
            p = slots[s]
            if p is not None:
                out.append((p, w))
                if len(out) >= limit:
                    break
        return out

    # -- every record against every other (bulk blocking: blocking.py) ------------------------
    def neighbours(
        self,
        limit: int,
        budget: int = 2_000,
        chunk: int = 4_000_000,
        mapper: Mapper | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each live record's ``limit`` best neighbours as unique unordered slot pairs (an
        (m, 2) array, smaller slot first) and their shared-key weights: ``candidates`` for
        every record at once (blocking.neighbours). Each record uses its rarest keys up to
        ``budget`` postings; ``mapper`` runs the blocks (default: one after the other)."""
        alive = [p is not None for p in self._slots]
        return blocking.neighbours(
            self._postings, self._scale, self._slot_keys, alive, limit, budget, chunk, mapper
        )

    def at(self, slot: int) -> Prepared | None:
        """The record in a slot (slots as returned by ``neighbours``)."""
        return self._slots[slot]
