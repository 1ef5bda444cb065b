"""A progress bar for management commands that run for minutes (sending a newsletter issue,
importing a WordPress export)."""

import time


class ProgressBar:
    """One line on a terminal, redrawn in place; on anything else (a log, cron's mail) a
    plain line every `LOG_EVERY` seconds.

    `note` is shown after the figures (what the units are made of, say); `failed` counts the
    steps that went wrong."""

    WIDTH = 30
    DRAW_EVERY = 0.2
    LOG_EVERY = 10.0

    def __init__(self, stream, *, label: str, total: int, done: int = 0, unit: str = ""):
        self.stream = stream
        self.tty = stream.isatty()
        self.label = label
        self.unit = unit
        self.total, self.done = total, done
        self.this_run = self.failed = 0
        self.note = ""
        self.started = time.monotonic()
        self.shown_at = self.started

    def advance(self, steps: int = 1, *, failed: int = 0) -> None:
        self.done += steps
        self.this_run += steps
        self.failed += failed
        now = time.monotonic()
        if now - self.shown_at >= (self.DRAW_EVERY if self.tty else self.LOG_EVERY):
            self.show(now)

    def line(self, now: float) -> str:
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = round(fraction * self.WIDTH)
        rate = self.this_run / max(now - self.started, 0.001)
        left = (self.total - self.done) / rate if rate else None
        unit = f" {self.unit}" if self.unit else ""
        parts = [
            f"{self.label} [{'#' * filled}{'-' * (self.WIDTH - filled)}]",
            f"{self.done:,}/{self.total:,}{unit} {fraction:4.0%}",
            f"{rate:,.0f}/s",
        ]
        if left is not None and self.done < self.total:
            parts.append(f"{int(left) // 60}m{int(left) % 60:02d}s left")
        if self.failed:
            parts.append(f"{self.failed:,} failed")
        if self.note:
            parts.append(self.note)
        return "  ".join(parts)

    def show(self, now: float) -> None:
        self.shown_at = now
        if self.tty:
            self.stream.write("\r" + self.line(now) + "\x1b[K", ending="")
        else:
            self.stream.write(self.line(now))
        self.stream.flush()

    def close(self) -> None:
        self.show(time.monotonic())
        if self.tty:
            self.stream.write("")
