from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import anonymise_old_visitors, flag_overstaying_visitors, rescreen_todays_visitors

# Hourly, but each visitor is screened once a day: the first run after midnight is "the morning".
every(timedelta(hours=1), name="visitors.rescreen_today", task=rescreen_todays_visitors)
every(timedelta(minutes=5), name="visitors.overstays", task=flag_overstaying_visitors)
every(timedelta(days=1), name="visitors.anonymise", task=anonymise_old_visitors)
