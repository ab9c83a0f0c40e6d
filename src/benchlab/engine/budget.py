"""`--max-cost`: a spend cap that is never passed, in-flight requests included.

Spend counts only attempts that were really sent (a cached answer is free)
and includes what the run spent before it was resumed, so `resume --max-cost`
with a higher cap continues where the first cap stopped.

Why reservations: at `--concurrency 16` the requests in flight when the cap
is reached would all be paid for after it, so checking only what has been
spent overshoots by up to sixteen requests. Each request therefore reserves
an upper bound of its cost before it is sent (input: the prompt's UTF-8
bytes, which no byte-level tokenizer exceeds, plus a few tokens per message;
output: `max_tokens`, or when a profile sets none, the largest answer the
model gave in this run so far and at least the engine's guess). A request
whose reservation does not fit waits for requests in flight to settle (their
real cost is usually far below the bound) and is not sent when nothing is in
flight and it still does not fit: the run then ends `stopped_budget`.

What cannot be bounded: a model without `max_tokens` whose answer runs longer
than any before it; set `max_tokens` on a capped profile to make the cap hard.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from benchlab.domain import ModelProfile, Price
from benchlab.errors import ConfigError
from benchlab.format import money

STOPPED = "stopped_budget"
MESSAGE_OVERHEAD = 4  # tokens a chat format adds per message (role markers, separators)


def input_bound(messages: list[dict[str, Any]]) -> int:
    """An upper bound of a prompt's input tokens: byte-level BPE never makes more tokens
    than bytes, and every message carries a few tokens of chat formatting."""
    total = 0
    for message in messages:
        content = message.get("content")
        text = content if isinstance(content, str) else str(content or "")
        total += len(text.encode("utf-8")) + MESSAGE_OVERHEAD
    return total + MESSAGE_OVERHEAD


@dataclass
class Budget:
    cap: float | None
    spent: float = 0.0
    reserved: float = 0.0
    in_flight: int = 0
    stopped: bool = False  # a request was refused: the run ends stopped_budget
    refused: int = 0
    _largest_output: dict[str, int] = field(default_factory=dict)
    _settled: asyncio.Event | None = None

    @property
    def exhausted(self) -> bool:
        return self.cap is not None and (self.stopped or self.spent >= self.cap)

    def charge(self, cost: float | None) -> None:
        if cost is not None:
            self.spent += cost

    def output_bound(self, model: str, max_tokens: int | None, guess: int) -> int:
        if max_tokens:
            return int(max_tokens)
        return max(guess, self._largest_output.get(model, 0))

    def request_bound(
        self,
        price: Price | None,
        model: str,
        messages: list[dict[str, Any]],
        max_tokens: int | None,
        guess: int,
    ) -> float:
        """The most one request can cost (0 without a price: nothing to cap)."""
        if price is None or self.cap is None:
            return 0.0
        cost = price.cost(input_bound(messages), self.output_bound(model, max_tokens, guess))
        return cost or 0.0

    async def reserve(self, amount: float) -> bool:
        """Hold `amount` for a request about to be sent; False: it cannot fit, send nothing.

        Waits while requests in flight may still free room; refuses only when the
        cap cannot take the request even with nothing else in flight.
        """
        if self.cap is None:
            return True
        while not self.stopped:
            if self.spent + self.reserved + amount <= self.cap:
                self.reserved += amount
                self.in_flight += 1
                return True
            if self.in_flight == 0:
                break
            if self._settled is None:
                self._settled = asyncio.Event()
            self._settled.clear()
            await self._settled.wait()  # no await between the check and here: no lost wake-up
        self.stopped = True
        self.refused += 1
        if self._settled is not None:
            self._settled.set()
        return False

    def hold(self, amount: float) -> None:
        """Reserve without refusing (a judge call the scoring cannot skip)."""
        if self.cap is not None:
            self.reserved += amount
            self.in_flight += 1

    def settle(
        self, amount: float, cost: float | None, model: str | None = None, output: int | None = None
    ) -> None:
        """A reserved request finished: release its hold and charge what it really cost.
        Synchronous, so it runs even in the `finally` of a cancelled request."""
        if output is not None and model is not None:
            self._largest_output[model] = max(self._largest_output.get(model, 0), output)
        self.charge(cost)
        if self.cap is None:
            return
        self.reserved = max(0.0, self.reserved - amount)
        self.in_flight = max(0, self.in_flight - 1)
        if self._settled is not None:
            self._settled.set()

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

    def check_room(self, run_id: str, *, same_cap_stopped: bool = False) -> None:
        """Resuming under a cap that already stopped the run could send nothing: say so."""
        if self.exhausted or (self.cap is not None and same_cap_stopped):
            raise ConfigError(
                f"--max-cost {self.cap:g}: run {run_id} has already spent {money(self.spent)}; "
                "resume with a higher --max-cost"
            )


def stop_line(run_id: str, spent: float, cap: float | None, not_sent: int) -> str:
    """What `run`/`resume` print when the cap stopped a run: where it stopped, how to go on."""
    cap_text = "?" if cap is None else f"{cap:.2f}"
    higher = 2 * (cap or spent or 1.0)
    return (
        f"stopped at --max-cost: run {run_id} spent {money(spent)} of ${cap_text}; "
        f"{not_sent} attempt{'s' if not_sent != 1 else ''} not sent; to continue: "
        f"benchlab resume {run_id} --max-cost {higher:.2f}"
    )


def over_budget_warning(estimate: float | None, cap: float | None) -> str | None:
    """The dry run's warning line when its estimate passes the cap."""
    if cap is None:
        return None
    if estimate is None:
        return f"warning: cost unknown for some model, cannot check against --max-cost {cap:g}"
    if estimate > cap:
        return (
            f"warning: estimated cost {money(estimate)} exceeds --max-cost ${cap:g}; "
            "the run would stop with status stopped_budget"
        )
    return None
