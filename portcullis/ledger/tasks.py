from django_tasks import task

from portcullis.accounts.mail import mail_security_team

from .services import check_chain


@task()
def verify_ledger_chain() -> dict[str, object]:
    check = check_chain()
    if not check.intact:
        mail_security_team(
            subject="Portcullis ledger verification failed",
            body=f"The ledger chain is broken at entry #{check.broken_at}: {check.reason}.\n"
            "Run `manage.py verify_ledger` and treat this as a security incident.",
        )
    return {"checked": check.entries_checked, "broken_at": check.broken_at}
