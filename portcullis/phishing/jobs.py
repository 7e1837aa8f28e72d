from datetime import timedelta

from portcullis.scheduler.registry import every

from .tasks import poll_mailbox, send_simulation_emails

every(timedelta(minutes=1), name="phishing.poll_mailbox", task=poll_mailbox)
every(timedelta(minutes=1), name="phishing.send_simulations", task=send_simulation_emails)
