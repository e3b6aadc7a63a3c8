"""The scheduler inside `eduplan serve`: a daemon thread that runs the reminder jobs (`reminders`, and
the task's life reminders `life_reminders`) every `scheduler_minutes` (each job makes sure each day's
run happens once, whichever process and however many tries).  `eduplan remind` runs the same jobs
from cron instead.  Each run first moves on the end of the open-ended (常态化)
schedules (`loop.adhoc.extend_open_schedules`)."""

from __future__ import annotations

import logging

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.clock import today
from eduplan.services.loop.adhoc import extend_open_schedules
from eduplan.services.notify.life_reminders import run_life_reminders
from eduplan.services.notify.reminders import run_reminders
from eduplan.services.periodic import Periodic

log = logging.getLogger("eduplan.scheduler")


class Scheduler(Periodic):
    """Runs the reminders now and then every `settings.scheduler_minutes` until stopped."""

    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        super().__init__("eduplan-scheduler", settings.scheduler_minutes * 60)
        self.sessions, self.settings = sessions, settings

    def tick(self) -> None:
        self.run_once()

    def run_once(self) -> None:
        day = today(self.settings.timezone)
        try:  # the 常态化 duties' schedules go on without an end (`loop.adhoc`)
            extend_open_schedules(self.sessions, day)
        except Exception:
            log.exception("moving the open-ended schedules on failed")
        try:
            result = run_reminders(self.sessions, self.settings, day)
        except Exception:  # a failed run is retried at the next tick; the server keeps serving
            log.exception("reminder run failed")
        else:
            if result.claimed:
                log.info(
                    "reminders %s: %d notices, %d e-mails", result.run_key, result.notices, result.emails
                )
        try:  # 签收逾期 and the office's 待处理 (issue 14): once per task and day by their keys
            life = run_life_reminders(self.sessions, self.settings, day)
        except Exception:
            log.exception("life reminder run failed")
            return
        if life.notices:
            log.info("life reminders %s: %d notices", life.run_key, life.notices)
