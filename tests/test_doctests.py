"""The examples in the docstrings of the pure layers (domain, ledger, mechanisms) hold: each
docstring with examples is a test, so an example that goes stale fails the suite."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import peerconomy.domain
import peerconomy.ledger
import peerconomy.mechanisms

PACKAGES = (peerconomy.domain, peerconomy.ledger, peerconomy.mechanisms)


def docstrings_with_examples() -> dict[str, doctest.DocTest]:
    """Every docstring with examples in the packages, by its dotted name."""
    found: dict[str, doctest.DocTest] = {}
    for package in PACKAGES:
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for test in doctest.DocTestFinder().find(module):
                if test.examples:
                    found[test.name] = test
    return found


EXAMPLES = docstrings_with_examples()


def test_the_pure_layers_have_examples_to_check() -> None:
    assert {name.split(".")[1] for name in EXAMPLES} == {"domain", "ledger", "mechanisms"}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_in_a_docstring_hold(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    outcome = runner.run(EXAMPLES[name], out=print)
    assert outcome.failed == 0, capsys.readouterr().out
