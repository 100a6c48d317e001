"""Help text that the terminal wraps: each paragraph of a command's docstring as one line.

A docstring is wrapped by hand to fit the source's line length; shown as it is, its lines
break mid-sentence at every width but that one (``peerconomy demo --help`` at 60 columns
showed "see the weights, premiums," alone on a line). :func:`flow_help` joins the lines of
each paragraph, so that Rich wraps the help to the terminal's width; paragraphs (parted by a
blank line) stay paragraphs.
"""

from __future__ import annotations

import inspect

import typer
from typer.models import CommandInfo, TyperInfo

__all__ = ["flow_help", "flowing"]


def flowing(text: str) -> str:
    """``text`` with the lines of each paragraph joined by one space (indentation dropped,
    paragraphs kept apart by a blank line)."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)


def flow_help(app: typer.Typer) -> None:
    """Make the help of ``app``, its commands and its groups (at any depth) flowing text."""
    _flow_group(app.info)
    if app.registered_callback is not None:
        _flow_group(app.registered_callback)
    for command in app.registered_commands:
        _flow_command(command)
    for group in app.registered_groups:
        _flow_group(group)
        if group.typer_instance is not None:
            flow_help(group.typer_instance)


def _flow_command(command: CommandInfo) -> None:
    text = command.help if command.help is not None else inspect.getdoc(command.callback)
    if text:
        command.help = flowing(text)


def _flow_group(info: TyperInfo) -> None:
    if isinstance(info.help, str):
        info.help = flowing(info.help)
    elif callable(info.callback) and (text := inspect.getdoc(info.callback)):
        info.help = flowing(text)
