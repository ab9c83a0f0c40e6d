"""`--max-cost`: stop sending requests once a run has spent its cap.

Spend counts only attempts that were really sent (a cached answer is free)
and includes what the run spent before it was resumed, so `resume --max-cost`
with a higher cap continues where the first cap stopped. Requests already in
flight when the cap is reached still finish and are paid for, so the final
spend can pass the cap by at most the cost of `--concurrency` requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError

STOPPED = "stopped_budget"


@dataclass
class Budget:
    cap: float | None
    spent: float = 0.0

    @property
    def exhausted(self) -> bool:
        return self.cap is not None and self.spent >= self.cap

    def charge(self, cost: float | None) -> None:
        if cost is not None:
            self.spent += cost

    def check_priced(self, models: list[ModelProfile]) -> None:
        """A cap on models whose price is unknown could never stop: refuse it up front."""
        if self.cap is None:
            return
        unpriced = [m.name for m in models if m.price is None]
        if unpriced:
            raise ConfigError(
                f"--max-cost: no known price for {', '.join(unpriced)}; "
                "give it a `price:` in a models file"
            )

    def check_room(self, run_id: str) -> None:
        if self.exhausted:
            raise ConfigError(
                f"--max-cost {self.cap:g}: run {run_id} has already spent ${self.spent:.4f}; "
                "resume with a higher --max-cost"
            )


def over_budget_warning(estimate: float | None, cap: float | None) -> str | None:
    """The dry run's warning line when its estimate passes the cap."""
    if cap is None:
        return None
    if estimate is None:
        return f"warning: cost unknown for some model, cannot check against --max-cost {cap:g}"
    if estimate > cap:
        return (
            f"warning: estimated cost ${estimate:.4f} exceeds --max-cost ${cap:g}; "
            "the run would stop with status stopped_budget"
        )
    return None
