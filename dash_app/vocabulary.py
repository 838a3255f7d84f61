"""The ticket API's words as the dashboard reads them: category and status labels, the moves."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vocabulary:
    """Labels of categories and statuses (key -> label, in the API's order) and the workflow.

    The empty vocabulary stands for "the API could not be asked": every label is then the raw
    key, and no status move is offered.
    """

    categories: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    transitions: tuple[dict, ...] = ()
    visible: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_api(cls, categories: list[dict], workflow: dict) -> Vocabulary:
        """Build it from GET /api/categories and GET /api/workflow (ValueError when malformed)."""
        try:
            return cls(
                categories={str(c["key"]): str(c["label"]) for c in categories},
                statuses={str(s["key"]): str(s["label"]) for s in workflow["statuses"]},
                transitions=tuple(
                    {
                        "from": str(t["from"]),
                        "to": str(t["to"]),
                        "action": str(t["action"]),
                        "roles": tuple(t.get("roles") or ()),
                    }
                    for t in workflow["transitions"]
                ),
                visible={
                    str(role): tuple(keys) for role, keys in (workflow.get("visible") or {}).items()
                },
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"unexpected vocabulary from the API: {error!r}") from None

    @property
    def known(self) -> bool:
        """Whether the API's words are here (False: show raw keys)."""
        return bool(self.statuses)

    def next_step(self, status: str | None, role: str = "helpdesk") -> dict | None:
        """The move the role may make from status ({"from", "to", "action"}), or None."""
        for move in self.transitions:
            if move["from"] == status and role in move["roles"]:
                return move
        return None

    def is_final(self, status: str | None) -> bool:
        """A known status that no move leaves: reaching it cannot be undone."""
        return status in self.statuses and not any(m["from"] == status for m in self.transitions)

    def unfinished(self) -> tuple[str, ...]:
        """The statuses that some move still leaves, in the API's order."""
        leaving = {m["from"] for m in self.transitions}
        return tuple(key for key in self.statuses if key in leaving)
