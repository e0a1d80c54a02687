"""Operations that log a warning when they run longer than ``SLOW_OPERATION_SECONDS``,
so an operator sees which project's plan or which import is getting heavy."""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

__all__ = ["logged_if_slow"]

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def logged_if_slow(label: str) -> Callable[[F], F]:
    """Decorate a function to log ``label``, its first argument's ``pk`` and its duration
    at WARNING when a call takes ``SLOW_OPERATION_SECONDS`` or longer (also when it
    raises)."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                if elapsed >= settings.SLOW_OPERATION_SECONDS:
                    logger.warning(
                        "Slow %s: %.2f s (id %s)",
                        label,
                        elapsed,
                        getattr(args[0], "pk", None) if args else None,
                    )

        return timed  # type: ignore[return-value]

    return decorate
