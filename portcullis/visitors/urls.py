from django.urls import path

from .views import gate, roll_calls, visits

app_name = "visitors"

urlpatterns = [
    path("", visits.visits, name="visits"),
    path("invite/", visits.invite, name="invite"),
    path("approvals/", visits.approvals, name="approvals"),
    path("estate/", visits.presence, name="presence"),
    path("level/", visits.level, name="level"),
    path("log.csv", visits.export, name="export"),
    path("confirm/<str:token>/", visits.confirm, name="confirm"),
    path("invitations/<uuid:public_id>/", visits.invitation, name="invitation"),
    path("invitations/<uuid:public_id>/approval/", visits.decide_approval, name="approval"),
    path("invitations/<uuid:public_id>/cancel/", visits.cancel, name="cancel"),
    path("<uuid:public_id>/", visits.visit, name="visit"),
    path("<uuid:public_id>/edit/", visits.edit_visit, name="visit-edit"),
    path("<uuid:public_id>/security-check/", visits.decide_check, name="decide-check"),
    path("gate/", gate.gate, name="gate"),
    path("gate/walk-in/", gate.walk_in, name="walk-in"),
    path("gate/<uuid:public_id>/", gate.gate_visit, name="gate-visit"),
    path("gate/<uuid:public_id>/refuse/", gate.refuse, name="refuse"),
    path("on-site/", gate.on_site, name="on-site"),
    path("<uuid:public_id>/check-out/", gate.check_out, name="check-out"),
    path("<uuid:public_id>/escort/", gate.escort, name="escort"),
    path("<uuid:public_id>/pass/", gate.visitor_pass, name="pass"),
    path("<uuid:public_id>/badge.pdf", gate.badge, name="badge"),
    path("roll-calls/", roll_calls.roll_calls, name="roll-calls"),
    path("roll-calls/start/", roll_calls.start, name="roll-call-start"),
    path("roll-calls/<uuid:public_id>/", roll_calls.roll_call, name="roll-call"),
    path("roll-calls/<uuid:public_id>/end/", roll_calls.end, name="roll-call-end"),
    path("roll-calls/<uuid:public_id>/report/", roll_calls.report, name="roll-call-report"),
    path("roll-calls/<uuid:public_id>/snapshot.pdf", roll_calls.snapshot, name="snapshot"),
    path(
        "roll-calls/<uuid:public_id>/entries/<uuid:entry_id>/located/",
        roll_calls.locate,
        name="locate",
    ),
]
