"""Usage errors (a bad, missing or unknown option, argument or command) as one line on stderr
and exit code 2, like every other refusal of the command line (:func:`~peerconomy.cli.common.fail`).

Left to itself Typer shows a usage error as several lines: the usage, "Try '... --help'",
and the reason in a box drawn with Rich (``Invalid value for 'holding': 'abc' is not a
valid int range.``). :class:`OneLineUsage`, the class of the root ``peerconomy`` group,
catches such an error where it is raised, in parsing the root's arguments
(:meth:`~OneLineUsage.make_context`) or a subcommand's (:meth:`~OneLineUsage.invoke`, which
parses and runs them), before Typer's ``main`` would draw it, and says it as

    error: holding: 'abc' is not a valid integer (see peerconomy holding notice --help)

naming the option as it is declared (its long name, ``--hours``), the argument as the help
shows it (``holding``, ``SCENARIO.json``), or the environment variable a bad value came from;
an error about no parameter (an unknown command, arguments left over) names the command.
``--help``, and a group run without a command, still print the help as before.

Typer 0.26 and later carry their own copy of Click (``typer._click``) and re-export only
``BadParameter`` of its errors; older ones raise Click's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from typer.core import TyperGroup

from peerconomy.cli.common import fail

if TYPE_CHECKING:
    from typer._click.core import Context, Parameter

try:  # Typer 0.26 and later
    from typer._click.exceptions import (
        BadOptionUsage,
        BadParameter,
        ClickException,
        FileError,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )
except ImportError:  # pragma: no cover - Typer before 0.26 raises Click's own errors
    from click.exceptions import (  # type: ignore[assignment]
        BadOptionUsage,
        BadParameter,
        ClickException,
        FileError,
        MissingParameter,
        NoSuchOption,
        UsageError,
    )

__all__ = ["OneLineUsage", "usage_line"]

_TYPE_WORDS = {"int range": "integer", "integer range": "integer", "int": "integer",
               "float range": "number", "float": "number"}
"""How a reason names a number type ("'abc' is not a valid int range" reads as
"... a valid integer")."""


class OneLineUsage(TyperGroup):
    """The root ``peerconomy`` group: any usage error under it is one line and exit code 2."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Context | None = None, **extra: Any) -> Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickException as error:
            _refuse(error)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException as error:
            _refuse(error)


def _refuse(error: ClickException) -> NoReturn:
    if type(error).__name__ == "NoArgsIsHelpError":  # the help of a group run bare, as before
        raise error
    fail(usage_line(error), code=error.exit_code)


def usage_line(error: ClickException) -> str:
    """What ``error`` says, as ``<what>: <reason>`` (without ``error: ``), with where to read
    more: ``(see <command> --help)`` where the command is known."""
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else None
    what, reason = _said(error, command)
    line = f"{what}: {reason}" if what else reason
    if command and ctx is not None and ctx.command.get_help_option(ctx) is not None:
        line += " (see --help)" if what == command else f" (see {command} --help)"
    return line


def _said(error: ClickException, command: str | None) -> tuple[str | None, str]:
    """The name of what is wrong (None where nothing is named) and the reason."""
    if isinstance(error, MissingParameter):
        return _named(error), "is missing"
    if isinstance(error, BadParameter):
        return _named(error) or command, _reason(error.message)
    if isinstance(error, NoSuchOption):
        return error.option_name, "no such option" + _suggesting(error.possibilities)
    if isinstance(error, BadOptionUsage):
        said = error.message.removeprefix(f"Option {error.option_name!r} ")
        return error.option_name, _reason(said)
    if isinstance(error, UsageError):
        return command, _reason(error.message)
    if isinstance(error, FileError):
        return error.filename, _reason(error.message)
    return None, _reason(error.format_message())


def _named(error: BadParameter) -> str | None:
    """The parameter as the user gave it: an option by its (long) name, an argument as the
    help shows it, a value from the environment by its variable."""
    param: Parameter | None = error.param
    if param is None:
        hint = error.param_hint
        if hint is None:
            return None
        return hint if isinstance(hint, str) else " / ".join(hint)
    ctx = error.ctx
    if ctx is not None and param.name is not None and param.envvar:
        source = ctx.get_parameter_source(param.name)
        if source is not None and source.name == "ENVIRONMENT":
            envvar = param.envvar
            return envvar if isinstance(envvar, str) else envvar[0]
    if param.param_type_name == "option" and param.opts:
        return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
    return param.human_readable_name


def _suggesting(possibilities: Any) -> str:
    names = sorted(possibilities or ())
    if not names:
        return ""
    return f" (did you mean {names[0]}?)" if len(names) == 1 else \
        f" (did you mean one of {', '.join(names)}?)"


def _reason(message: str) -> str:
    """Click's sentence as a reason after a name: no final full stop, a suggestion in
    brackets, a lower-case start (unless the first word is in capitals), number types named
    as people say them."""
    reason = message.strip().removesuffix(".")
    for name, word in _TYPE_WORDS.items():
        if reason.endswith(f" a valid {name}"):
            reason = reason.removesuffix(name) + word
            break
    head, asks, suggested = reason.partition(". Did you mean ")
    if asks:  # "No such command 'x'. Did you mean 'y'?"
        reason = f"{head} (did you mean {suggested})"
    if len(reason) > 1 and reason[0].isupper() and reason[1].islower():
        reason = reason[0].lower() + reason[1:]
    return reason
