"""Schedules: cron expressions (read by cronsim) and the shortcuts people say out loud.

``hourly``, ``daily``, ``daily at 06:00``, ``weekly on mon at 06:00``, ``weekly on mon,thu at
18:30``, ``monthly on 1 at 06:00`` become 5-field cron; anything else is read as cron. Times are
wall-clock times in the job's timezone (cronsim handles the DST gaps and repeats).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mlworkbench.core.errors import BadRequestError

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAYS_FULL = "monday tuesday wednesday thursday friday saturday sunday"
_FIELDS = ["minute", "hour", "day of month", "month", "day of week"]
_AT = r"(?:\s+at\s+(?P<time>\S+))?"
_SHORTCUTS = [
    ("hourly", re.compile(r"^hourly(?:\s+at\s+:?(?P<minute>\d{1,2}))?$")),
    ("daily", re.compile(rf"^daily{_AT}$")),
    ("weekly", re.compile(rf"^weekly\s+on\s+(?P<days>[a-z,\s]+?){_AT}$")),
    ("monthly", re.compile(rf"^monthly\s+on\s+(?:day\s+)?(?P<day>\d{{1,2}}){_AT}$")),
]


class ScheduleError(BadRequestError):
    """A schedule that cannot be read; the message shows what was understood."""

    code = "bad_schedule"

    def __init__(self, schedule: str, reason: str, **detail) -> None:
        super().__init__("schedule", reason, schedule=schedule, **detail)


@dataclass(frozen=True)
class Schedule:
    """A schedule as read: the cron it means and how cronsim says it."""

    text: str
    cron: str
    description: str


def parse_schedule(text: str) -> Schedule:
    """Read a cron expression or a shortcut.

    Raises:
        ScheduleError: It is neither (the message shows how it was understood).
    """
    spoken = " ".join(text.strip().lower().split())
    if not spoken:
        raise ScheduleError(text, "The schedule is empty: give cron ('0 6 * * *') or a shortcut "
                                  "('hourly', 'daily at 06:00', 'weekly on mon at 06:00').")
    for kind, pattern in _SHORTCUTS:
        if spoken.startswith(kind):
            match = pattern.match(spoken)
            if match is None:
                raise ScheduleError(text, f"Understood a {kind} schedule, but not "
                                          f"'{spoken[len(kind):].strip()}': write e.g. "
                                          f"{_EXAMPLES[kind]}.")
            return _checked(text, _shortcut(text, kind, match.groupdict()))
    return _checked(text, spoken)


_EXAMPLES = {"hourly": "'hourly' or 'hourly at :15'", "daily": "'daily at 06:00'",
             "weekly": "'weekly on mon at 06:00' or 'weekly on mon,thu at 18:30'",
             "monthly": "'monthly on 1 at 06:00'"}


def _shortcut(text: str, kind: str, parts: dict) -> str:
    if kind == "hourly":
        minute = int(parts["minute"] or 0)
        if minute > 59:
            raise ScheduleError(text, f"Understood 'hourly', but minute {minute} is not 0-59.")
        return f"{minute} * * * *"
    hour, minute = _time(text, kind, parts.get("time"))
    if kind == "daily":
        return f"{minute} {hour} * * *"
    if kind == "monthly":
        day = int(parts["day"])
        if not 1 <= day <= 31:
            raise ScheduleError(text, f"Understood 'monthly at {hour:02d}:{minute:02d}', but "
                                      f"day {day} is not 1-31.")
        return f"{minute} {hour} {day} * *"
    words = [d.strip() for d in parts["days"].replace(" and ", ",").split(",") if d.strip()]
    unknown = [d for d in words if d not in _DAYS and d not in _DAYS_FULL.split()]
    days = [d[:3] for d in words]
    if unknown or not days:
        raise ScheduleError(text, f"Understood 'weekly at {hour:02d}:{minute:02d}', but not the "
                                  f"day(s) {', '.join(unknown) or '(none)'}: use "
                                  f"{', '.join(_DAYS)}.")
    return f"{minute} {hour} * * {','.join(d.upper() for d in days)}"


def _time(text: str, kind: str, value: str | None) -> tuple[int, int]:
    if value is None:
        return 0, 0
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", value)
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return int(match.group(1)), int(match.group(2) or 0)
    raise ScheduleError(text, f"Understood a {kind} schedule, but '{value}' is not a time: "
                              "write HH:MM from 00:00 to 23:59.")


def _checked(text: str, cron: str) -> Schedule:
    from cronsim import CronSim, CronSimError

    fields = cron.split()
    understood = ", ".join(f"{name} '{value}'" for name, value in zip(_FIELDS, fields))
    if len(fields) != 5:
        raise ScheduleError(text, f"'{text}' is neither a shortcut ('hourly', 'daily at 06:00', "
                                  f"'weekly on mon at 06:00') nor cron with 5 fields (minute "
                                  f"hour day-of-month month day-of-week): read {len(fields)} "
                                  f"field(s): {understood or 'none'}.", cron=cron)
    try:
        described = CronSim(cron, datetime(2000, 1, 1)).explain()
    except CronSimError as e:
        raise ScheduleError(text, f"Could not read cron '{cron}': {e} (read {understood}).",
                            cron=cron) from None
    return Schedule(text=text, cron=cron, description=described)


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``.

    Raises:
        BadRequestError: No such timezone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadRequestError("timezone", f"Unknown timezone '{name}': use an IANA name such as "
                                          "'UTC' or 'Europe/Paris'.") from None


def fire_times(cron: str, tz: str, after: datetime, until: datetime | None = None,
               count: int = 5) -> list[datetime]:
    """The times (aware, UTC) the schedule fires strictly after ``after``: up to ``count``, or
    every one up to ``until`` when given (at most ``count`` still)."""
    from cronsim import CronSim

    local = after.astimezone(zone(tz))
    out = []
    for moment in CronSim(cron, local):
        moment = moment.astimezone(timezone.utc)
        if (until is not None and moment > until) or len(out) >= count:
            break
        out.append(moment)
    return out
