"""Matching observables against published security alerts and simulation tokens."""

from __future__ import annotations

from portcullis.lib.observables import url_host

from . import domains
from .brands import fold
from .model import AlertObservable, AnalysisContext, Findings, Observables


def check_alerts(context: AnalysisContext, findings: Findings) -> None:
    obs = findings.observables
    for alert in context.alert_observables:
        hit = _match(alert, obs)
        if hit:
            findings.flag("alert.match", f"{hit} matches alert {alert.alert!r}")


def _match(alert: AlertObservable, obs: Observables) -> str | None:
    value = alert.value.strip().lower()
    if not value:
        return None
    if alert.kind == "email":
        return next((e for e in obs.emails if e == value), None)
    if alert.kind in ("domain", "ip"):
        hosts = [url_host(u) for u in obs.urls] + [e.rpartition("@")[2] for e in obs.emails]
        return next((h for h in hosts if h == value or h.endswith("." + value)), None)
    if alert.kind == "url":
        return next((u for u in obs.urls if u.lower().startswith(value)), None)
    if alert.kind == "name" and len(value) >= 4:
        return obs.sender_name if fold(value) in fold(obs.sender_name) else None
    return None


def check_simulation(context: AnalysisContext, findings: Findings) -> None:
    """A mystery-shopper mail is recognised by its host and token, so reports can be credited."""
    obs = findings.observables
    for url in obs.urls:
        host = url_host(url)
        if context.simulation_host and not domains.is_protected(host, (context.simulation_host,)):
            continue
        if context.simulation_token_pattern is None:
            continue
        match = context.simulation_token_pattern.search(url)
        if match:
            obs.simulation_token = match.group(1) if match.groups() else match.group(0)
            findings.flag("simulation.token", f"simulation link {url[:120]}")
            return
