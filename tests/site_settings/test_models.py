"""The newsletter schedule: when a new issue is sent by default."""

import zoneinfo
from datetime import datetime

import pytest

from forum.site_settings.models import SiteSettings


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-23 06:59", "2026-11-23 07:00"),  # Monday before seven: that morning
        ("2026-11-23 07:00", "2026-11-25 07:00"),  # Monday at seven: Wednesday
        ("2026-11-27 09:00", "2026-11-30 07:00"),  # Friday after seven: next Monday
        ("2026-03-27 12:00", "2026-03-30 07:00"),  # across the clocks going forward
    ],
)
def test_the_next_newsletter_slot_is_the_next_scheduled_day_at_local_time(db, now, expected):
    settings = SiteSettings.current()
    london = zoneinfo.ZoneInfo("Europe/London")
    after = datetime.strptime(now, "%Y-%m-%d %H:%M").replace(tzinfo=london)

    slot = settings.next_newsletter_slot(after)

    assert slot.astimezone(london).strftime("%Y-%m-%d %H:%M") == expected
