"""``peerconomy demo``'s engine: a sample pool, run period by period and told as a story.

* :mod:`.data`: the sample pool (three projects, thirty people) and its seeded first period.
* :mod:`.run`: the run through the pool services only (clear, simulated work and its
  communal validation, settle), returning what each period showed (:mod:`.result`).
* :mod:`.story`: that result printed in short sentences and small tables.

Everything is seeded: the same seed gives the same pool, the same plans and the same text.
"""

from peerconomy.demo.data import COORDINATORS, POOL_NAME, demo_scenario
from peerconomy.demo.result import DemoResult, LoggedWork, PeriodFigures, WorkSummary
from peerconomy.demo.run import DEMO_SIGN_INS, add_demo_accounts, run_periods, simulate_work
from peerconomy.demo.story import run_demo, tell

__all__ = [
    "COORDINATORS",
    "DEMO_SIGN_INS",
    "POOL_NAME",
    "DemoResult",
    "LoggedWork",
    "PeriodFigures",
    "WorkSummary",
    "add_demo_accounts",
    "demo_scenario",
    "run_demo",
    "run_periods",
    "simulate_work",
    "tell",
]
