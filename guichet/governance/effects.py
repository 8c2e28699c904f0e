"""What an adopted (or refused) decision does, registered by the app that owns the subject.

Governance sits below the network and the guichet in the dependency order: it cannot admit
an organisation or publish matching rules itself. The apps that can register, when they
start, a function per kind of proposal; the closing service calls it inside the closing
transaction, so a decision and its effect land together or not at all. The function returns
a short sentence of what it did, kept with the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EffectFunction = Callable[[Any, bool], str]


@dataclass(frozen=True)
class Effect:
    """`apply(proposal, adopted)` — called on every close that decides (adopted or not)."""

    kind: str
    apply: EffectFunction


_effects: dict[str, Effect] = {}


def register(kind: str, apply: EffectFunction) -> None:
    """Declare what closing a proposal of this kind does (one function per kind)."""
    existing = _effects.get(kind)
    if existing is not None and existing.apply is not apply:
        raise ValueError(f"An effect is already registered for {kind!r}.")
    _effects[kind] = Effect(kind, apply)


def effect_apply(proposal: Any, adopted: bool) -> str:
    """Run the kind's effect, if any; what it did, or an empty string."""
    effect = _effects.get(proposal.kind)
    return effect.apply(proposal, adopted) if effect is not None else ""


def registered_kinds() -> frozenset[str]:
    return frozenset(_effects)
