"""Named random streams: the only place randomness is created.

Common random numbers (CRN) need every stochastic decision to draw from a stream named by its purpose,
so that switching a mechanism on does not reshuffle draws it does not touch:

* model-level streams (``streams.numpy("incidence")``) are numpy Generators for vectorised draws;
* each patient has its own streams per purpose (``streams.patient(person_id).get("episode")``),
  Python ``random.Random`` objects because agents draw scalars and ``random`` is ~3x faster for that.

Every stream is derived with :class:`numpy.random.SeedSequence` from ``(seed, replication, domain,
key...)``. Names map to integer keys with a cryptographic hash of the name (not their order in a list),
so adding a stream never changes another one. Replication ``k`` of every scenario uses the same
streams: that is what pairs scenarios for CRN.
"""

from __future__ import annotations

import hashlib
import random
from typing import Callable

import numpy as np

# Domains keep model-level and agent-level keys apart.
_MODEL, _PATIENT, _AGENT = 0, 1, 2

# Purposes of a patient's own streams, in the positions they have had since each was introduced (a patient's
# words are indexed by position, so a purpose keeps its numbers only as long as it keeps its position). This is
# the built-in model's ledger: a new mechanism does not edit it but declares its purposes, and the registry
# appends those after these (``sim.mechanisms.registry.patient_purposes``).
PATIENT_PURPOSES: tuple[str, ...] = (
    "timing",     # when the next deterioration or change of phase happens
    "episode",    # what a deterioration is and what the patient does about it
    "clinical",   # admission decisions and lengths of stay
    "handoff",    # whether discharge handoffs fail
    "followup",   # no-shows, detection at controls, enrolment
    "exit",       # death and moving out
    "team",       # (mechanism teams) what coordinators and teams achieve at contacts, dropout
    "history",    # prior admissions before the start
    "acute_alternative",  # (mechanism acute_alternatives) municipal acute beds, the ward's 72-hour responsibility
    "pathway",    # (mechanism specialisation) specialised units' handoffs and coordinators' links
    "overload",   # what happens when capacity runs out: transfer handoffs, choosing another hospital
)
# the purposes usual care itself draws from (the others are declared by the mechanisms that draw from them)
USUAL_CARE_PATIENT_PURPOSES: tuple[str, ...] = (
    "timing", "episode", "clinical", "handoff", "followup", "exit", "history", "overload")


def name_key(name: str) -> int:
    """A stable 32-bit integer for a stream name (independent of Python's salted ``hash``)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=4).digest(), "little")


class _LazyStreams(dict):
    """purpose -> ``random.Random``; a stream is created on first use (``__missing__``)."""

    __slots__ = ("_words", "_index")

    def __missing__(self, purpose: str) -> random.Random:
        i = 2 * self._index[purpose]
        stream = random.Random(self._words[i] << 32 | self._words[i + 1])
        self[purpose] = stream
        return stream


class PatientStreams:
    """One patient's per-purpose ``random.Random`` streams, created on first use.

    ``get(purpose)`` is the dict's own ``__getitem__`` (one call per decision, so it is a C-level lookup;
    a missing purpose is created by ``_LazyStreams.__missing__``).
    """

    __slots__ = ("_streams", "get")

    def __init__(self, seed_sequence: np.random.SeedSequence, purpose_index: dict[str, int]):
        self._streams = _LazyStreams()
        self._streams._index = purpose_index
        # Two 32-bit words per purpose: prefix-stable, so adding a purpose keeps existing streams.
        self._streams._words = seed_sequence.generate_state(2 * len(purpose_index), np.uint32).tolist()  # Python ints
        self.get: Callable[[str], random.Random] = self._streams.__getitem__


class Streams:
    """The random streams of one replication. ``patient_purposes`` are the purposes of each patient's streams
    in their positions: the model passes ``sim.mechanisms.registry.patient_purposes()``, which is
    ``PATIENT_PURPOSES`` followed by the purposes plug-ins add."""

    def __init__(self, seed: int, replication: int = 0, patient_purposes: tuple[str, ...] = PATIENT_PURPOSES):
        if seed < 0 or replication < 0:
            raise ValueError("seed and replication must be non-negative integers")
        if len(set(patient_purposes)) != len(patient_purposes):
            raise ValueError(f"patient stream purposes must be unique, got {patient_purposes}")
        self.seed = int(seed)
        self.replication = int(replication)
        self.patient_purposes = tuple(patient_purposes)
        self._purpose_index = {name: i for i, name in enumerate(self.patient_purposes)}
        self._numpy: dict[str, np.random.Generator] = {}
        self._python: dict[tuple, random.Random] = {}

    def _sequence(self, *key: int) -> np.random.SeedSequence:
        return np.random.SeedSequence(entropy=self.seed, spawn_key=(self.replication, *key))

    def numpy(self, name: str) -> np.random.Generator:
        """A model-level numpy Generator for vectorised draws, e.g. ``numpy("population")``."""
        gen = self._numpy.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(self._sequence(_MODEL, name_key(name))))
            self._numpy[name] = gen
        return gen

    def agent(self, kind: str, key: int, purpose: str) -> random.Random:
        """A scalar stream for a non-patient agent (e.g. a practice's referral decisions)."""
        k = (kind, key, purpose)
        stream = self._python.get(k)
        if stream is None:
            words = self._sequence(_AGENT, name_key(kind), int(key), name_key(purpose)).generate_state(2, np.uint32)
            stream = random.Random(int(words[0]) << 32 | int(words[1]))
            self._python[k] = stream
        return stream

    def patient(self, person_id: int) -> PatientStreams:
        """The streams of the patient with this person id (stable across scenarios)."""
        return PatientStreams(self._sequence(_PATIENT, int(person_id)), self._purpose_index)

    def mesa_seed(self) -> int:
        """Seed for Mesa's own ``model.random``/``model.rng`` (used only by Mesa internals, never for decisions)."""
        return int(self._sequence(_MODEL, name_key("mesa")).generate_state(1, np.uint32)[0])
