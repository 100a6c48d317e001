"""The pure mechanisms of a period's clearing: numpy arrays and frozen dataclasses in and out.

* :mod:`~peerconomy.mechanisms.flow`: the flow core both markets share (a transportation
  problem, solved exactly, with the least or greatest competitive prices).
* :mod:`~peerconomy.mechanisms.goods`: stage 1, auction premiums and lotteries.
* :mod:`~peerconomy.mechanisms.tasks`: stage 2, the task auction and its weights.
* :mod:`~peerconomy.mechanisms.shares`: stage 3, costs and shares.

Nothing here does I/O or imports the rest of the package.
"""

from peerconomy.mechanisms.flow import Clearing, Market, solve
from peerconomy.mechanisms.goods import GoodsAllocation, GoodsMarket, allocate_goods
from peerconomy.mechanisms.shares import Charges, charge
from peerconomy.mechanisms.tasks import TaskAuction, TaskMarket, auction_tasks

__all__ = [
    "Charges",
    "Clearing",
    "GoodsAllocation",
    "GoodsMarket",
    "Market",
    "TaskAuction",
    "TaskMarket",
    "allocate_goods",
    "auction_tasks",
    "charge",
    "solve",
]
